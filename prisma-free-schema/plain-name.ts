/**
 * Human-visible names (workspaces, people, profiles, API tokens, hosts) are shown to other
 * people: in lists, the audit trail, bundles and logs. Control characters can break those lines
 * or fake new ones, and bidirectional overrides and isolates (the "Trojan Source" characters)
 * make a name display as something it is not, e.g. `‮exe.txt` shown as `txt.exe`. Names refuse
 * them all; every other character, accents, scripts and emoji included, is fine.
 *
 * Refused: C0 and C1 controls and DEL (U+0000–U+001F, U+007F–U+009F), the line and paragraph
 * separators (U+2028, U+2029), the Arabic letter mark (U+061C), the left-to-right and
 * right-to-left marks (U+200E, U+200F), the embeddings and overrides (U+202A–U+202E), the
 * isolates (U+2066–U+2069) and the deprecated format controls after them (U+206A–U+206F).
 */
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u206f]/u;

export const NAME_CHARACTERS_MESSAGE = "Names cannot contain control characters or text-direction marks";

export function isPlainName(value: string): boolean {
  return !UNSAFE_IN_NAMES.test(value);
}

/** The one refinement every name schema carries: `.refine(...plainName)`. */
export const plainName = [isPlainName, { message: NAME_CHARACTERS_MESSAGE }] as const;

/** For names we do not let people retype (an identity provider's display name): the same name without those characters. */
export function withoutUnsafeNameCharacters(value: string): string {
  return value.replace(new RegExp(UNSAFE_IN_NAMES.source, "gu"), "");
}
