// Text folded for comparing: lower case, accents removed, and the Latin letters Unicode does not decompose
// spelled as English news spells them ("Karlıova" = "Karliova", "Øresund" = "Oresund"). Pure.
const UNDECOMPOSED: Record<string, string> = { ı: "i", ø: "o", æ: "ae", œ: "oe", ß: "ss", đ: "d", ł: "l", þ: "th", ð: "d", ħ: "h", ŧ: "t" };
const HAS_UNDECOMPOSED = /[ıøæœßđłþðħŧ]/;
const UNDECOMPOSED_ALL = /[ıøæœßđłþðħŧ]/g;

export function fold(text: string): string {
  const plain = text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  return HAS_UNDECOMPOSED.test(plain) ? plain.replace(UNDECOMPOSED_ALL, (c) => UNDECOMPOSED[c]!) : plain;
}
