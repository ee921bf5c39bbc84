/** One grain's pre-aggregated values, as Azure Monitor stores them. */
export interface Sample {
  total: number;
  count: number;
  min: number;
  max: number;
}

export type Dims = Record<string, string>;

/** A series recorded at fixed timestamps (a metrics fixture). */
export interface RecordedSeries {
  dims: Dims;
  points: Array<{ t: number; sample: Sample }>;
}

/** A series derived from state: one sample per grain, whose value only changes when the state does. */
export interface DerivedSeries {
  dims: Dims;
  grainMs: number;
  valueAt(t: number): number | undefined;
}

export type RawSeries = RecordedSeries | DerivedSeries;

export function sampleOf(v: number, count = 1): Sample {
  return { total: v * count, count, min: v, max: v };
}
