import { defineNotification } from '@tidings/protocol';
import { z } from 'zod';

/** What a node broadcasts to every listener of the cluster: which node sent it, and what. */
export const Announcement = defineNotification('example/announcement', z.object({ from: z.string(), text: z.string() }));
