// @doyensec/electronegativity ships no types; this is the part scripts/electronegativity-check.ts uses.
declare module '@doyensec/electronegativity' {
  interface RunOptions {
    input: string;
    isRelative?: boolean;
    excludeFromScan?: string[];
    customScan?: string[];
    electronVersionOverride?: string;
    parserPlugins?: string[];
  }
  export default function run(options: RunOptions, forCli: false): Promise<unknown>;
}
