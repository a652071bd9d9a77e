/**
 * The {@code bert-stream models} command line ({@link dev.bertstream.models.cli.ModelsCommand},
 * mounted by the application's CLI): import, train, eval, predict, sign, keygen, info and
 * build-default. Only {@code ModelsCommand} is public; the subcommands are package-private.
 */
package dev.bertstream.models.cli;
