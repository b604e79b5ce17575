import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TelemetrySample } from '../../../shared/schemas.ts';

const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

/** Decode tokens/sec over the answer; uPlot redraws only the new data on each batch. */
export function SpeedChart({ samples }: { samples: TelemetrySample[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const ink = dark() ? '#c9c9d1' : '#44444c';
    const grid = dark() ? '#33333a' : '#e6e6ea';
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    plot.current = new uPlot(
      {
        width: box.current!.clientWidth || 320,
        height: 120,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: 's', labelSize: 14 },
          { ...axis, label: 'tok/s', labelSize: 14, size: 44 },
        ],
        series: [
          {},
          {
            stroke: dark() ? '#7aa7ff' : '#2f6fed',
            width: 2,
            fill: dark() ? 'rgba(122,167,255,.15)' : 'rgba(47,111,237,.1)',
          },
        ],
      },
      [[], []],
      box.current!,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: box.current!.clientWidth, height: 120 }));
    resize.observe(box.current!);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    const points = samples.filter((s) => s.tokensPerSec !== null);
    plot.current?.setData([points.map((s) => s.atMs / 1000), points.map((s) => s.tokensPerSec)]);
  }, [samples]);

  return (
    <div
      ref={box}
      className="speed-chart"
      data-testid="speed-chart"
      role="img"
      aria-label="Decode speed in tokens per second over this answer (the figures beside it say the same in words)"
    />
  );
}
