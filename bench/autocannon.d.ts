// The few parts of autocannon's programmatic API the benchmark uses (it ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    /** Per-request overrides; setupRequest may change the path of each request. */
    requests?: { method?: string; path?: string; headers?: Record<string, string>; setupRequest?: (req: { path?: string; headers?: Record<string, string> }) => unknown }[];
  }
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p99: number;
  }
  interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
    '2xx': number;
    '3xx': number;
  }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
