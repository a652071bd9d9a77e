/**
 * Where labeled events go: {@code RoutingRules} ({@code @Internal}) picks the moderation and intent
 * topics from an event's predictions.
 */
package dev.bertstream.jobs.routing;
