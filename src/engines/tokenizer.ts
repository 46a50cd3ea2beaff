/**
 * The mock engine's tokenizer: deterministic, dependency-free, and close enough to a BPE tokenizer in
 * counts for English text to make the metrics look plausible.
 *
 * Rule: a token is a run of 1 to 8 letters or digits, or one single other visible character, each
 * together with the whitespace before it; whitespace at the very end of the text is one more token.
 * So `"Hello, world!"` is `["Hello", ",", " world", "!"]` (4 tokens) and a 20-letter word is 3 tokens.
 * Concatenating the tokens gives back the text exactly, which the prefix cache relies on.
 */

const TOKEN = /\s*(?:[\p{L}\p{N}]{1,8}|[^\s\p{L}\p{N}])|\s+$/gu;

/** Splits text into tokens (see the module doc for the rule). */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** The number of tokens {@link tokenize} would return, without building them. */
export function countTokens(text: string): number {
  let n = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.exec(text) !== null) n++;
  return n;
}
