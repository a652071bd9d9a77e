package dev.bertstream.models.training;

import java.nio.file.Path;

/** One training or evaluation example, with where it was read from (for error messages). */
public record LabeledExample(String text, String label, Path file, long line) {}
