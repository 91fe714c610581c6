/** Prometheus text exposition (format 0.0.4), for the few metric kinds TestDriver serves. */

type Labels = Record<string, string>;

const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  const quote = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
  return `{${entries.map(([k, v]) => `${k}="${quote(v)}"`).join(",")}}`;
};

export class MetricsText {
  private readonly lines: string[] = [];

  family(name: string, type: "counter" | "gauge" | "histogram", help: string, samples: [Labels, number][]) {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) this.lines.push(`${name}${labelText(labels)} ${value}`);
    return this;
  }

  raw(lines: string[]) {
    this.lines.push(...lines);
    return this;
  }

  toString() {
    return `${this.lines.join("\n")}\n`;
  }
}

/** A latency histogram kept in memory, by route and status class. */
export class LatencyHistogram {
  static readonly BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();

  observe(labels: Labels, seconds: number) {
    const key = JSON.stringify(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: LatencyHistogram.BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    LatencyHistogram.BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) s.counts[i]!++;
    });
    s.sum += seconds;
    s.count++;
  }

  lines(name: string, help: string): string[] {
    const out = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    for (const s of this.series.values()) {
      LatencyHistogram.BUCKETS.forEach((bound, i) => {
        out.push(`${name}_bucket${labelText({ ...s.labels, le: String(bound) })} ${s.counts[i]}`);
      });
      out.push(`${name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      out.push(`${name}_sum${labelText(s.labels)} ${s.sum}`);
      out.push(`${name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}
