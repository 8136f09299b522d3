/**
 * Whether an image reference parses, by the grammar container runtimes use (distribution's
 * `reference` package): an optional registry host, lowercase path components, an optional tag and
 * digest. The kubelet checks this before any pull and reports `InvalidImageName` with the parser's
 * words, which this repeats.
 * https://github.com/distribution/reference/blob/main/regexp.go
 */
const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
const NAME_MAX_LENGTH = 255;

/** Why `image` is not a valid reference, in the kubelet's words; undefined when it is one. */
export function invalidImageNameMessage(image: string): string | undefined {
  const problem = referenceProblem(image);
  if (!problem) return undefined;
  return `Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image reference ${JSON.stringify(image)}: ${problem}`;
}

function referenceProblem(image: string): string | undefined {
  const match = REFERENCE.exec(image);
  if (!match) {
    // The parser says "must be lowercase" when the lowercased text would have parsed.
    return REFERENCE.test(image.toLowerCase()) ? "invalid reference format: repository name must be lowercase" : "invalid reference format";
  }
  if (match[1]!.length > NAME_MAX_LENGTH) return `repository name must not be more than ${NAME_MAX_LENGTH} characters`;
  return undefined;
}
