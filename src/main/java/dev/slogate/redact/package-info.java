/**
 * Redaction: the one routine between every value and every output (console, plan, errors, report files, logs, the
 * fault journal). {@link dev.slogate.redact.Redaction} holds the rules (URL user-info, secret query parameters, secret
 * header values, names of environment variables); {@link dev.slogate.redact.Secrets} remembers the literal secrets
 * this process has seen (passwords, tokens, header values) so that they are masked wherever they turn up;
 * {@link dev.slogate.redact.RedactedStream} applies both to the process's standard output and error. This package
 * depends on nothing else of slogate, so every other package can use it.
 */
package dev.slogate.redact;
