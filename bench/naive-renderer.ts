// The naive way, for comparison: one full React Email render per subscriber (renderDigestFull), with the
// same compactness levels as the real renderer. Byte-identical output, no caching of parts.
import { buildDigest, DIGEST_LEVELS } from "../src/digest/build-digest";
import { MAX_HTML_BYTES, renderDigestFull, utf8Length, type DigestRenderer } from "../src/digest/render-digest";

export function createNaiveRenderer(): DigestRenderer {
  let renders = 0;
  return {
    render: (digest) => (renders++, renderDigestFull(digest)),
    stats: () => ({ storyBlocks: 0, sections: 0, frames: renders }),
    async renderSelection(input, maxBytes = MAX_HTML_BYTES) {
      for (let level = 0; ; level++) {
        const digest = buildDigest(input, level);
        renders++;
        const out = await renderDigestFull(digest);
        if (utf8Length(out.html) <= maxBytes || level >= DIGEST_LEVELS.length - 1) return { ...out, digest, level };
      }
    },
  };
}
