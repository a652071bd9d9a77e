/**
 * The {@code bert-stream} command line: {@link dev.bertstream.app.cli.BertStreamCli} is the main
 * class of the application jar (run, produce, consume, demo, bench, models); the subcommands are
 * package-private.
 */
package dev.bertstream.app.cli;
