// Quality lost against size saved, one point per variant, so the sweet spot (much smaller, little lost)
// sits in the lower right. Quality lost is the mean KL divergence from the base, in nats.
import type { VariantResult } from '../../../shared/quant.ts';
import { fmt } from '../format.ts';

const W = 420,
  H = 220,
  PAD = 44;

export function QualityChart({ variants }: { variants: VariantResult[] }) {
  const base = variants.find((v) => v.isBase) ?? variants[0]!;
  const points = variants.map((v) => ({ v, saved: 1 - v.sizeBytes / base.sizeBytes, lost: v.kldMean }));
  const maxLost = Math.max(...points.map((p) => p.lost), 1e-6);
  const x = (saved: number) => PAD + Math.max(0, saved) * (W - 2 * PAD);
  const y = (lost: number) => H - PAD - (lost / maxLost) * (H - 2 * PAD);
  return (
    <figure className="quant-chart">
      <svg width={W} height={H} role="img" aria-label="Quality lost against size saved" fill="currentColor">
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="currentColor" />
        <line x1={PAD} y1={PAD} x2={PAD} y2={H - PAD} stroke="currentColor" />
        <text x={W / 2} y={H - 8} textAnchor="middle" fontSize="11">
          size saved against the base (0–100%)
        </text>
        <text x={12} y={H / 2} textAnchor="middle" fontSize="11" transform={`rotate(-90 12 ${H / 2})`}>
          KL divergence (nats)
        </text>
        <text x={PAD - 4} y={PAD + 4} textAnchor="end" fontSize="10">
          {fmt(maxLost, 3)}
        </text>
        {points.map(({ v, saved, lost }, i) => (
          <g key={i}>
            <circle cx={x(saved)} cy={y(lost)} r={4} fill="currentColor" />
            <text x={x(saved) + 6} y={y(lost) - 6} fontSize="10">
              {v.quantization}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="muted">
        Lower right is better: smaller files that keep the base’s next-token distribution.
      </figcaption>
    </figure>
  );
}
