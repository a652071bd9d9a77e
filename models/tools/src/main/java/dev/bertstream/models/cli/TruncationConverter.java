package dev.bertstream.models.cli;

import dev.bertstream.models.tokenizer.Truncation;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;

/**
 * Reads {@code --truncation right|head-tail}; anything else is a usage error (exit 2) naming both
 * choices, before any model is loaded.
 */
final class TruncationConverter implements ITypeConverter<Truncation> {

    @Override
    public Truncation convert(String value) {
        try {
            return Truncation.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
