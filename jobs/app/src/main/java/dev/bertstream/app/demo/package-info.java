/**
 * {@code bert-stream demo}: a traffic generator, a reader of the labeled and dead-letter topics,
 * delivery accounting and the live status view. Internal to the application.
 */
package dev.bertstream.app.demo;
