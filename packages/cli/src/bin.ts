#!/usr/bin/env node
import { CLI_VERSION } from './version.js';

process.stdout.write(`tidings ${CLI_VERSION}\n`);
