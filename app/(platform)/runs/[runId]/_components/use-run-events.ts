"use client";

import { useEffect, useRef, useState } from "react";
import { ZRunEvent } from "@/prisma-free-schema/run-event";
import { applyRunEvent, EMPTY_RUN_LOG, type RunLog } from "./run-log";
import { streamRefusalOf } from "./stream-refusal";

export type StreamState = "connecting" | "live" | "reconnecting";

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * A run's events, live, from GET /api/runs/:runId/events (server-sent events, cookie auth).
 * EventSource rejoins by itself after a dropped connection, sending Last-Event-ID; when it gives
 * up for good (an error status, a proxy closing it), it is opened again from the last seq applied
 * (`?cursor=`). Events are applied into a ref and shown once per frame, so a replay of thousands
 * of events on load is one render, not thousands.
 *
 * `onTurnBoundary` runs (at most once per frame) when a turn starts or ends: the run document
 * holds the turns' outcomes and the run's status, so the caller asks for it again.
 */
export function useRunEvents(runId: string, onTurnBoundary: () => void): { log: RunLog; stream: StreamState; refusal: string | undefined } {
  const [log, setLog] = useState<RunLog>(EMPTY_RUN_LOG);
  const [stream, setStream] = useState<StreamState>("connecting");
  // The server's sentence when it refused the stream (too many open at once), until one opens.
  const [refusal, setRefusal] = useState<string>();
  const boundaryRef = useRef(onTurnBoundary);
  useEffect(() => {
    boundaryRef.current = onTurnBoundary;
  }, [onTurnBoundary]);

  useEffect(() => {
    let current = EMPTY_RUN_LOG;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let frame: number | undefined;
    let boundary = false;
    let failures = 0;
    let stopped = false;

    const flush = () => {
      frame = undefined;
      setLog(current);
      if (boundary) {
        boundary = false;
        boundaryRef.current();
      }
    };

    const onEvent = (message: MessageEvent<string>) => {
      let parsed;
      try {
        parsed = ZRunEvent.safeParse(JSON.parse(message.data));
      } catch {
        return;
      }
      if (!parsed.success) return;
      const event = parsed.data;
      const next = applyRunEvent(current, event);
      if (next === current) return;
      current = next;
      if (event.kind === "turn.started" || event.kind === "turn.ended") boundary = true;
      frame ??= requestAnimationFrame(flush);
    };

    const connect = () => {
      if (stopped) return;
      // A reload starts from 0 and gets everything again from the store; a reopen resumes.
      const url = current.lastSeq > 0 ? `/api/runs/${runId}/events?cursor=${current.lastSeq}` : `/api/runs/${runId}/events`;
      const opened = new EventSource(url);
      source = opened;
      opened.onopen = () => {
        failures = 0;
        setStream("live");
        setRefusal(undefined);
      };
      opened.addEventListener("run-event", onEvent);
      opened.onerror = () => {
        setStream("reconnecting");
        if (opened.readyState !== EventSource.CLOSED) return; // EventSource is already retrying.
        opened.close();
        void streamRefusalOf(url).then((refused) => {
          if (stopped) return;
          setRefusal(refused?.message);
          const delay = refused ? refused.retryAfterMs : Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** failures);
          failures += 1;
          retry = setTimeout(connect, delay);
        });
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      if (frame !== undefined) cancelAnimationFrame(frame);
      source?.close();
    };
  }, [runId]);

  return { log, stream, refusal };
}
