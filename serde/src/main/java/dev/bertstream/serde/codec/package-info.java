/**
 * Internal: the decoders, Avro readers and writers, framing and text checks behind the public
 * schemas of {@code dev.bertstream.serde}. Every class is {@code @Internal}; other modules use the
 * public package instead (ApiBoundariesTest in jobs/app checks it).
 */
package dev.bertstream.serde.codec;
