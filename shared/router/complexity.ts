// How much a query needs a larger model than the one on the device. Each cue adds to a 0-1 score and
// says why; short rewrites, summaries and chat score low.
export interface Complexity {
  score: number;
  level: 'low' | 'medium' | 'high';
  reasons: string[];
}

// Each cue counts once per distinct phrase that matches, at most twice: "design … trade-offs … strategy"
// says more than one of them alone.
const cues: { weight: number; reason: string; pattern: RegExp }[] = [
  {
    weight: 0.6,
    reason: 'asks for a proof or derivation',
    pattern: /\b(?:prove|proof|derive|derivation|theorem|lemma|show that|rigorous(?:ly)?|by induction)\b/gi,
  },
  {
    weight: 0.35,
    reason: 'mathematics beyond arithmetic',
    pattern:
      /\b(?:integral|integrate|differential equation|eigen\w*|matri(?:x|ces)|probability|expected value|variance|asymptotic|complexity of|time complexity|big-o|optimi[sz]e|linear program\w*|combinatori\w*|topolog\w*|calculus|break-even|closed-form)\b|∫|∑|√/gi,
  },
  {
    weight: 0.3,
    reason: 'multi-step reasoning',
    pattern:
      /\b(?:step[- ]by[- ]step|reason through|trade-?offs?|compar(?:e|ing|ison)|analy[sz]e|evaluate|plan (?:a|an|the)|design (?:a|an|the)|architecture|strategy|root cause|why does|what would happen if|risks?|migration)\b/gi,
  },
  {
    weight: 0.5,
    reason: 'substantial code to write',
    pattern:
      /\b(?:implement|write (?:a|an|the) (?:[\w-]+ ){0,2}(?:program|function|class|module|service|parser|compiler|interpreter|server|script|library|api|tool|crawler)|build (?:a|an|the) (?:[\w-]+ ){0,3}(?:app|application|service|system|api|server|pipeline)|lexer|parser|compiler|interpreter|refactor|concurren\w*|thread-safe|multithread\w*|distributed|algorithm|data structure|unit tests?|with tests)\b/gi,
  },
  {
    weight: 0.25,
    reason: 'code in the question',
    pattern: /```|\bfunction\s+\w+\s*\(|\bdef\s+\w+\(|\bclass\s+\w+[:{(]|#include|=>\s*\{/g,
  },
  {
    weight: 0.2,
    reason: 'asks for depth',
    pattern:
      /\b(?:in depth|in detail|comprehensive|thorough(?:ly)?|detailed|research|literature|essay|report (?:on|comparing)|whitepaper)\b/gi,
  },
];

const routine =
  /^(?:(?:please\s+)?(?:rewrite|rephrase|reword|paraphrase|summari[sz]e|shorten|translate|fix (?:the )?(?:typos?|grammar|spelling)|proofread|make (?:this|it) (?:shorter|more formal|friendlier|polite)|tl;?dr)\b|(?:hi|hello|hey|thanks|thank you|good (?:morning|night|evening))\b)/i;

export function complexityOf(text: string): Complexity {
  const reasons: string[] = [];
  let score = 0;
  for (const cue of cues) {
    const distinct = new Set([...text.matchAll(cue.pattern)].map((m) => m[0].toLowerCase())).size;
    if (distinct > 0) {
      score += cue.weight * Math.min(2, distinct);
      reasons.push(cue.reason);
    }
  }
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  const asks = (text.match(/\?/g) ?? []).length + (text.match(/(?:^|\s)(?:\d+[.)]|[-*•])\s+/gm) ?? []).length;
  if (words > 150) {
    score += 0.2;
    reasons.push(`a long request (${words} words)`);
  }
  if (asks >= 3) {
    score += 0.25;
    reasons.push(`a multi-part ask (${asks} parts)`);
  }
  if (routine.test(text.trim())) {
    score = Math.max(0, score - 0.4);
    reasons.push('a routine rewrite, summary or greeting');
  }
  score = Math.min(1, Number(score.toFixed(2)));
  if (reasons.length === 0) reasons.push('short, everyday request');
  return { score, level: score >= 0.5 ? 'high' : score >= 0.3 ? 'medium' : 'low', reasons };
}
