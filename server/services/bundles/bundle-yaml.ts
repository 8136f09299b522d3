/**
 * How both bundles are printed: YAML 1.1, no anchors (a reviewer reads it line by line), and every
 * string value double-quoted. kubectl reads YAML with go-yaml's 1.1-style resolver, where a plain
 * `on`, `no`, `null`, `1e3` or `0x1f` (all valid host names) is not a string. Keys stay plain
 * unless 1.1 would misread them.
 */
export const BUNDLE_YAML = {
  document: { version: "1.1", aliasDuplicateObjects: false },
  toString: { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 },
} as const;
