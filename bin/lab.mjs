#!/usr/bin/env node
// Entry for `npx lab`: loads the TypeScript CLI in-process through tsx, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
