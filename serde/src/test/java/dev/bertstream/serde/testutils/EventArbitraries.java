package dev.bertstream.serde.testutils;

import dev.bertstream.events.TextEvent;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.time.Instant;

/** jqwik generators of valid events, with text drawn from all of Unicode. */
public final class EventArbitraries {

    private EventArbitraries() {}

    /** Any Unicode string that has a UTF-8 form (no unpaired surrogates). */
    public static Arbitrary<String> unicode(int maxCodePoints) {
        return Arbitraries.oneOf(
                        Arbitraries.integers().between(0x20, 0x7E),
                        Arbitraries.integers().between(0, 0xD7FF),
                        Arbitraries.integers().between(0xE000, 0x10FFFF))
                .list()
                .ofMaxSize(maxCodePoints)
                .map(
                        cps -> {
                            StringBuilder sb = new StringBuilder();
                            cps.forEach(sb::appendCodePoint);
                            return sb.toString();
                        });
    }

    public static Arbitrary<TextEvent> textEvents() {
        Arbitrary<String> ids =
                Arbitraries.strings()
                        .alpha()
                        .numeric()
                        .withChars('-', '_')
                        .ofMinLength(1)
                        .ofMaxLength(24);
        Arbitrary<String> optional = Arbitraries.strings().alpha().ofMaxLength(8).injectNull(0.3);
        return Combinators.combine(
                        ids,
                        ids,
                        optional,
                        unicode(120),
                        optional,
                        Arbitraries.strings().alpha().ofMaxLength(12),
                        Arbitraries.longs().between(-10_000_000_000_000L, 10_000_000_000_000L),
                        Arbitraries.maps(unicode(6), unicode(10)).ofMaxSize(3))
                .as(
                        (id, key, tenant, text, lang, source, millis, attrs) ->
                                TextEvent.newBuilder()
                                        .setEventId(id)
                                        .setKey(key)
                                        .setTenant(tenant)
                                        .setText(text)
                                        .setLang(lang)
                                        .setSource(source)
                                        .setCreatedAt(Instant.ofEpochMilli(millis))
                                        .setAttributes(attrs)
                                        .build());
    }
}
