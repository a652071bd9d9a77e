package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.nio.file.Path;

/** One training or evaluation example, with where it was read from (for error messages). */
@Internal
public record LabeledExample(String text, String label, Path file, long line) {}
