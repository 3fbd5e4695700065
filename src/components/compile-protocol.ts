// Requests to the compile worker, which keeps jco's heavy work off the main thread.
export type CompileApi = {
  /** The component's root world as WIT text (jco componentWit). */
  inspect: { req: { bytes: Uint8Array }; res: { wit: string } };
  /** jco transpile into outDir; returns the generated entry file name. */
  transpile: { req: { bytes: Uint8Array; outDir: string }; res: { entry: string; files: string[]; ms: number } };
};
