// The little of Node this probe uses (no @types/node to install).
declare const process: { env: Record<string, string | undefined> };
declare const console: { log(...data: unknown[]): void };
