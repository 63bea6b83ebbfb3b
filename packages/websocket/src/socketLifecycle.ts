import type { TransportError } from '@tidings/protocol';

/** The milestones every socket transport reports to its owner, as settle-once promises. */
export interface SocketLifecycle {
  /** Settles once the socket is open; rejects when it closed first. Never an unhandled rejection. */
  readonly opened: Promise<void>;
  readonly markOpened: () => void;
  readonly failOpen: (error: TransportError) => void;
  /** Settles once the socket is closed. Never rejects. */
  readonly done: Promise<void>;
  readonly markDone: () => void;
  /** Reports a fault the transport handled itself; a throwing hook never breaks the socket's event handling. */
  readonly fault: (error: TransportError) => void;
}

/** The lifecycle of one socket, shared by the `ws` and the platform transports. */
export function socketLifecycle(onFault: ((error: TransportError) => void) | undefined): SocketLifecycle {
  let markOpened!: () => void;
  let failOpen!: (error: TransportError) => void;
  const opened = new Promise<void>((resolve, reject) => {
    markOpened = resolve;
    failOpen = reject;
  });
  // A failed open is reported through the owner's `start`; this keeps it from being an unhandled rejection otherwise.
  opened.catch(() => {});
  let markDone!: () => void;
  const done = new Promise<void>((resolve) => (markDone = resolve));
  const fault = (error: TransportError): void => {
    try {
      onFault?.(error);
    } catch {
      // An owner's logging hook must not break the socket's event handling.
    }
  };
  return { opened, markOpened, failOpen, done, markDone, fault };
}
