// Vendor doc pages (Mintlify) embed their OpenAPI description in one ````yaml fence.
const FENCE = /^(`{3,})yaml[^\n]*\n([\s\S]*?)\n\1\s*$/m;

/** Returns the OpenAPI YAML block of a vendor doc page, byte for byte. */
export function extractOpenApiYaml(markdown, origin = "doc page") {
  const match = FENCE.exec(markdown);
  if (!match) {
    throw new Error(`${origin}: no \`\`\`\`yaml block found; is this a rendered page without an OpenAPI description?`);
  }
  return `${match[2]}\n`;
}
