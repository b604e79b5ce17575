// npm run eval:route: the router against eval/route-prompts.json.
import { readFileSync } from 'node:fs';
import { evaluate, type LabelledPrompt } from '../shared/router/evaluate.ts';

const file = new URL('../eval/route-prompts.json', import.meta.url);
const { prompts } = JSON.parse(readFileSync(file, 'utf8')) as { prompts: (LabelledPrompt & { split: string })[] };
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
for (const split of ['tuning', 'held-out']) {
  const part = evaluate(prompts.filter((p) => p.split === split));
  console.log(`${split}: ${part.correct}/${part.total} (${pct(part.correct, part.total)})`);
}
const e = evaluate(prompts);
console.log(`Router evaluation: ${e.correct}/${e.total} correct (${pct(e.correct, e.total)})\n`);
console.log('label                  accuracy');
for (const [label, s] of Object.entries(e.perLabel))
  console.log(`${label.padEnd(22)} ${s.correct}/${s.total} (${pct(s.correct, s.total)})`);
console.log('\nconfusion (rows: expected, columns: routed)');
console.log(`${''.padEnd(10)}${['device', 'private', 'partner'].map((t) => t.padStart(9)).join('')}`);
for (const [expected, row] of Object.entries(e.confusion))
  console.log(
    `${expected.padEnd(10)}${Object.values(row)
      .map((n) => String(n).padStart(9))
      .join('')}`,
  );
console.log(`\nqueries with personal data sent to the partner: ${e.privateToPartner}`);
if (e.misses.length > 0) {
  console.log('\nmisses:');
  for (const m of e.misses)
    console.log(
      `- [${m.label}] expected ${m.expect}, got ${m.got} (${m.rule}): ${m.prompt.slice(0, 100).replace(/\n/g, ' ')}`,
    );
}
if (process.argv.includes('--json')) console.log(JSON.stringify(e));
