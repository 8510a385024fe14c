// What to do when a server refuses a session channel. OpenSSH answers "open failed" ("no more sessions" in
// its log) when MaxSessions sessions exist on the connection, and it counts a session until it has fully
// processed the channel's close: a little after the client saw the close and handed the slot to the next
// command. So most refusals are transient. A refusal is therefore a wait, never a failure: retry when one of
// this host's channels is released (or after a short backoff), until the command's own deadline.
//
// The server's real limit may also be lower than assumed (MaxSessions 4, say). That is learned: a refusal
// while at least as many channels are open as this host has ever had open at once, three times in a row
// with no channel opened in between, means the server will not take more: the pool's limit drops to that.
// A transient refusal happens below that level (the server was still counting a closed channel), so it
// never lowers the limit.
import type { Connection } from './connection.ts';
import { ChannelOpenError, type ChannelOpener } from './exec.ts';
import type { ChannelSlots } from './slots.ts';

/** What the learning reads from a connection. */
export type ChannelCounts = Pick<Connection, 'openChannels' | 'peakChannels' | 'opened' | 'closed'>;

/** Refusals in a row at the highest level seen before the limit is lowered. */
const STRIKES_TO_LEARN = 3;
const FIRST_BACKOFF_MS = 2;
const MAX_BACKOFF_MS = 100;

export interface RefusalStats {
  /** Refused channel opens so far, and how many of them were retried successfully. */
  readonly refusals: number;
  /** The limit learned from the server, if it was lowered. */
  readonly learnedLimit: number | undefined;
}

/** Per host: waits out refusals and learns the server's session limit. */
export class SessionLimit {
  private refusals = 0;
  private learned: number | undefined;
  /** Most channels this host ever had open at once on any connection: the server accepted that many. */
  private proven = 0;
  private strikes = 0;
  private openedAtLastStrike = -1;

  constructor(private readonly slots: ChannelSlots) {}

  stats(): RefusalStats {
    return { refusals: this.refusals, learnedLimit: this.learned };
  }

  /**
   * An opener for one command on `conn`: retries refused opens until `deadline` (performance.now() time),
   * then throws the last refusal. `aborted` stops the waiting early (the caller reports the cancel).
   */
  opener(conn: ChannelCounts, deadline: number, aborted: () => boolean = () => false): ChannelOpener {
    return async <T>(open: () => Promise<T>): Promise<T> => {
      let backoff = FIRST_BACKOFF_MS;
      for (;;) {
        try {
          return await open();
        } catch (error) {
          if (!(error instanceof ChannelOpenError)) throw error;
          this.refusals++;
          this.noteRefusal(conn);
          const left = deadline - performance.now();
          if (left <= 0 || aborted()) throw error;
          // A connection that died meanwhile: the next open rejects with the connection error at once.
          if (!conn.closed) await this.slots.nextRelease(Math.min(backoff, left));
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      }
    };
  }

  private noteRefusal(conn: ChannelCounts): void {
    this.proven = Math.max(this.proven, conn.peakChannels);
    const level = conn.openChannels;
    // A channel opened since the last strike shows the server accepted one more than it refused then.
    if (conn.opened !== this.openedAtLastStrike) this.strikes = 0;
    if (level < this.proven || level < 1) return;
    this.strikes++;
    this.openedAtLastStrike = conn.opened;
    if (this.strikes < STRIKES_TO_LEARN) return;
    this.strikes = 0;
    if (level < this.slots.limit) {
      this.slots.lowerLimit(level);
      this.learned = this.slots.limit;
    }
  }
}
