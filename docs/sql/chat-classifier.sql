-- Labels the demo's chat events with ML_PREDICT on a bert-stream bundle and writes them to a topic,
-- exactly-once. The input is the job's JSON input format on chat.text-events
-- ({"event_id": .., "key": .., "text": .., "source": .., "created_at": ..}).
--
--   ./bert-stream sql -f docs/sql/chat-classifier.sql --embedded-kafka --seconds 60
--   ./bert-stream sql -f docs/sql/chat-classifier.sql --var kafka.bootstrap-servers=broker:9092 --var bundle=bundles/default

-- Exactly-once sinks commit on checkpoints: results are visible to read_committed readers then.
SET 'execution.checkpointing.interval' = '2 s';
-- ML_PREDICT keeps at most this many rows in flight per subtask, which bounds its batches: Flink's
-- default (10) would cap every model call at 10 rows, far below the batch.max-size of 64 the model's
-- throughput rests on (a per-record call runs at about 0.6x of batches of 64, docs/BENCHMARKS.md).
-- 256 = 4 x batch.max-size: room for the batches at the model (inference.capacity, 2), the one
-- filling and one ready to go, so batches fill as in the DataStream job (`bert-stream bench sql`).
SET 'table.exec.async-ml-predict.max-concurrent-operations' = '256';

CREATE TABLE chat_messages (
  event_id STRING,
  text STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'chat.text-events',
  'properties.bootstrap.servers' = '${kafka.bootstrap-servers}',
  'properties.group.id' = 'bert-stream-sql',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

CREATE TABLE chat_labeled (
  event_id STRING,
  text STRING,
  sentiment STRING,
  sentiment_score DOUBLE,
  toxicity STRING,
  toxicity_score DOUBLE,
  intent STRING,
  intent_score DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = 'chat.sql-labeled',
  'properties.bootstrap.servers' = '${kafka.bootstrap-servers}',
  'properties.transaction.timeout.ms' = '900000',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'bert-stream-sql',
  'format' = 'json'
);

CREATE MODEL chat_classifier
  INPUT (text STRING)
  OUTPUT (sentiment STRING, sentiment_score DOUBLE, toxicity STRING, toxicity_score DOUBLE,
          intent STRING, intent_score DOUBLE)
  WITH (
    'provider' = 'bert-stream',
    'bundle' = '${bundle}',
    'batch.max-size' = '64',
    'batch.max-wait' = '20 ms'
  );

INSERT INTO chat_labeled
SELECT event_id, text, sentiment, sentiment_score, toxicity, toxicity_score, intent, intent_score
FROM ML_PREDICT(TABLE chat_messages, MODEL chat_classifier, DESCRIPTOR(text));
