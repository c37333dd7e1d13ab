#!/usr/bin/env node
// Launcher: tinycp is written in TypeScript and runs through tsx's loader (no build step).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
