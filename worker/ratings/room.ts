/** A room's end screen: who agreed with whom, and each member's taste twin. Pure. */

/** agreement[i][j]: share of duels that seats i and j both voted on where they chose the same. */
export function agreementMatrix(seats: number[], picks: { round: number; seat: number; choice: string }[]): (number | null)[][] {
  const byRound = new Map<number, Map<number, string>>();
  for (const p of picks) {
    if (!byRound.has(p.round)) byRound.set(p.round, new Map());
    byRound.get(p.round)!.set(p.seat, p.choice);
  }
  return seats.map((i) =>
    seats.map((j) => {
      let both = 0;
      let same = 0;
      for (const round of byRound.values()) {
        const x = round.get(i);
        const y = round.get(j);
        if (x === undefined || y === undefined) continue;
        both++;
        if (x === y) same++;
      }
      return both > 0 ? Math.round((same / both) * 1000) / 1000 : null;
    }),
  );
}

/** Each seat's twin: the other seat with the highest agreement (the lower seat on a tie). */
export function tasteTwins(seats: number[], agreement: (number | null)[][]): Record<string, { seat: number; agreement: number } | null> {
  const out: Record<string, { seat: number; agreement: number } | null> = {};
  seats.forEach((seat, i) => {
    let best: { seat: number; agreement: number } | null = null;
    seats.forEach((other, j) => {
      const a = agreement[i]![j];
      if (i === j || a === null || a === undefined) return;
      if (!best || a > best.agreement) best = { seat: other, agreement: a };
    });
    out[String(seat)] = best;
  });
  return out;
}
