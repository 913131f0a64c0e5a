// Characters that must never reach a rendered file, a shell or a terminal unescaped: control characters (NUL, ESC,
// BEL, CR, newline…), format characters (zero-width spaces, bidi overrides, the byte order mark), line and paragraph
// separators, and lone surrogates (not encodable in UTF-8). No topology value needs one.
export const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'gu');

/** `U+001B` */
export const codePoint = (character: string): string => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text with every unprintable character written as `\u{…}`, so a message or a comment shows what is there. */
export const printable = (text: string): string => text.replace(UNPRINTABLE_ALL, (character) => `\\u{${character.codePointAt(0)!.toString(16)}}`);
