/**
 * {@code bert-stream bench}: model, pipeline and soak benchmarks with their plots. Internal to the
 * application; {@code BenchCommand} is mounted by {@code dev.bertstream.app.cli}.
 */
package dev.bertstream.app.bench;
