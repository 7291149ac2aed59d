import { describe, expect, it } from "vitest";
import en from "./en";
import es from "./es";
import id from "./id";

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

// Values that are the same in every language: names, abbreviations, and placeholders-only strings.
const SAME_EVERYWHERE = new Set([
  "Loket",
  "SICANTIK",
  "Odoo",
  "Hacienda",
  "URL",
  "XML-RPC",
  "JSON-RPC",
  "—",
  "English",
  "Bahasa Indonesia",
  "Español",
  "{{n}} ms",
  "{{n}} s",
  "{{n}} min",
  "{{n}} h",
  "{{rate}} /s",
  "{{done}} / {{total}}",
  "{{job}}: {{status}}",
  "{{field}}: {{interval}}",
  "{{status}}: {{n}}",
  "{{value}}",
]);
// Words that happen to be spelled the same in that language.
const SAME_WORD: Record<string, Set<string>> = {
  id: new Set(["Status", "Server", "Total"]),
  es: new Set(["General", "Error", "No", "Total"]),
};

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const english = flatten(en as unknown as Tree);

describe.each([
  ["id", id],
  ["es", es],
] as const)("%s translation", (lang, resource) => {
  const other = flatten(resource as unknown as Tree);

  it("has every English key and no extra key", () => {
    const missing = [...english.keys()].filter((k) => !other.has(k));
    const extra = [...other.keys()].filter((k) => !english.has(k));
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
  });

  it("has no empty value", () => {
    expect([...other].filter(([, v]) => v.trim() === "").map(([k]) => k)).toEqual([]);
  });

  it("keeps the interpolation placeholders of each English string", () => {
    const wrong = [...english].filter(([k, v]) => other.has(k) && placeholders(v).join() !== placeholders(other.get(k)!).join());
    expect(wrong.map(([k]) => k)).toEqual([]);
  });

  it("leaves no English in place", () => {
    const same = [...english]
      .filter(([k, v]) => other.get(k) === v)
      .filter(([, v]) => !SAME_EVERYWHERE.has(v) && !SAME_WORD[lang]!.has(v))
      .map(([k, v]) => `${k} = ${v}`);
    expect(same).toEqual([]);
  });
});

it("English has no empty value", () => {
  expect([...english].filter(([, v]) => v.trim() === "").map(([k]) => k)).toEqual([]);
});
