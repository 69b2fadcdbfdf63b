/*
 * CivicLedger consensus (Consensus/SPEC.md §4, Algorithm 1 of arXiv:1807.04938) as a Promela model for
 * spin: N = 4 validators of equal power, validator BYZ Byzantine, rounds 0 … R-1, two candidate blocks.
 * Verified: agreement — no two honest validators decide different blocks. Run by Tools/check-model.sh;
 * what is modelled and what is abstracted away: Consensus/README.md.
 *
 * Messages are global: a vote once sent stays visible, and a validator may act on a quorum any time after
 * it exists or take a timeout first (asynchrony: every interleaving is explored, timeouts fire whenever
 * their step allows). The Byzantine validator counts as voting for every value in every round and step
 * (unbounded equivocation), and as proposer sends any block with any POL round to anyone.
 *
 * Mutants for the checker's self-test (each must produce a counterexample):
 *   -DMUTANT_HALF    quorum of more than half instead of more than two thirds
 *   -DMUTANT_NOLOCK  L22 ignores the lock
 *   -DMUTANT_L28     L28 accepts a POL round below the lock
 */

#ifndef R
#define R 2
#endif
#define N 4
#define BYZ 1

#define NONE 0
#define NIL 1
#define VA 2
#define VB 3

#define PROPOSE 0
#define PREVOTE 1
#define PRECOMMIT 2

/* 3·x > 2·P with P = 4: three votes (the mutant: 2·x > P, also three of four, so it counts two). */
#ifdef MUTANT_HALF
#define QUORUM 2
#else
#define QUORUM 3
#endif
/* 3·x > P: two validators (the skip threshold of L55). */
#define SKIP 2

byte pv[R * N];       /* honest prevotes: NONE until sent */
byte pc[R * N];       /* honest precommits */
byte proposal[R];     /* an honest proposer's block per round: NONE until proposed */
short proposalPOL[R]; /* and its POL round */
byte decision[N];

/* Scratch for the atomic steps: hidden (not part of the state), which is safe because every use lies
 * within one atomic step. */
hidden byte c, v, i, r;
hidden short vr;
hidden byte ok;

/* Votes for v in round r: the honest ones plus the Byzantine validator, which votes for everything. */
inline countPrevotes(r, v, c) {
    c = 1;
    i = 0;
    do
    :: i < N -> if :: (i != BYZ && pv[(r) * N + i] == (v)) -> c++ :: else -> skip fi; i++
    :: else -> break
    od
}

inline countPrecommits(r, v, c) {
    c = 1;
    i = 0;
    do
    :: i < N -> if :: (i != BYZ && pc[(r) * N + i] == (v)) -> c++ :: else -> skip fi; i++
    :: else -> break
    od
}

/* Prevotes of any value in round r (L34). */
inline countAnyPrevotes(r, c) {
    c = 1;
    i = 0;
    do
    :: i < N -> if :: (i != BYZ && pv[(r) * N + i] != NONE) -> c++ :: else -> skip fi; i++
    :: else -> break
    od
}

/* Precommits of any value in round r (L47). */
inline countAnyPrecommits(r, c) {
    c = 1;
    i = 0;
    do
    :: i < N -> if :: (i != BYZ && pc[(r) * N + i] != NONE) -> c++ :: else -> skip fi; i++
    :: else -> break
    od
}

/* Honest validators that sent anything in round r (L55), plus the Byzantine one. */
inline countSenders(r, c) {
    c = 1;
    i = 0;
    do
    :: i < N -> if :: (i != BYZ && (pv[(r) * N + i] != NONE || pc[(r) * N + i] != NONE)) -> c++ :: else -> skip fi; i++
    :: else -> break
    od
}

/* True (in ok) when validator p may hold a proposal of round r for block v: always from the Byzantine
 * proposer, otherwise only the block that proposer sent. */
inline proposed(r, v, ok) {
    ok = (((r) % N) == BYZ || proposal[r] == (v))
}

/* L11: the proposer of the new round proposes its valid value, or its own candidate. */
inline startRound(r) {
    round = (r);
    step = PROPOSE;
    if
    :: ((round % N) == id) ->
        if
        :: validValue != NONE -> proposal[round] = validValue; proposalPOL[round] = validRound
        :: else -> proposal[round] = candidate; proposalPOL[round] = -1
        fi
    :: else -> skip
    fi
}

proctype Honest(byte id) {
    byte round = 0, step = PROPOSE;
    byte lockedValue = NONE, validValue = NONE;
    short lockedRound = -1, validRound = -1;
    byte candidate;
    bit updated[R]; /* L36 done in that round */

    /* Only honest proposers' candidates matter; they differ, so honest proposals conflict too. */
    candidate = (id == 0 -> VA : VB);
    atomic { startRound(0) };

    do
    :: decision[id] != NONE -> break

    /* L22 / L28: a proposal of this round while in propose. */
    :: atomic {
        step == PROPOSE ->
        if
        :: (round % N) == BYZ ->
            if :: v = VA :: v = VB fi;
            vr = -1;
            do
            :: vr + 1 < round -> vr++
            :: break
            od
        :: (round % N) != BYZ && proposal[round] != NONE -> v = proposal[round]; vr = proposalPOL[round]
        fi;
        if
        :: vr == -1 ->
#ifdef MUTANT_NOLOCK
            pv[round * N + id] = v;
#else
            if
            :: (lockedRound == -1 || lockedValue == v) -> pv[round * N + id] = v
            :: else -> pv[round * N + id] = NIL
            fi;
#endif
            step = PREVOTE
        :: vr >= 0 ->
            countPrevotes(vr, v, c);
            if
            :: c >= QUORUM ->
#ifdef MUTANT_L28
                pv[round * N + id] = v;
#else
                if
                :: (lockedRound <= vr || lockedValue == v) -> pv[round * N + id] = v
                :: else -> pv[round * N + id] = NIL
                fi;
#endif
                step = PREVOTE
            :: else -> skip /* no POL quorum (yet): wait */
            fi
        fi
    }

    /* L57: timeout in propose. */
    :: atomic { step == PROPOSE -> pv[round * N + id] = NIL; step = PREVOTE }

    /* L36: a proposal and a prevote quorum for it in this round, first time. */
    :: atomic {
        step >= PREVOTE && !updated[round] ->
        if :: v = VA :: v = VB fi;
        proposed(round, v, ok);
        countPrevotes(round, v, c);
        if
        :: ok && c >= QUORUM ->
            updated[round] = 1;
            if
            :: step == PREVOTE ->
                lockedValue = v; lockedRound = round;
                pc[round * N + id] = v;
                step = PRECOMMIT
            :: else -> skip
            fi;
            validValue = v; validRound = round
        :: else -> skip
        fi
    }

    /* L44: a nil prevote quorum. L61: timeout in prevote after a quorum of any prevotes. */
    :: atomic {
        step == PREVOTE ->
        countPrevotes(round, NIL, c);
        if
        :: c >= QUORUM -> pc[round * N + id] = NIL; step = PRECOMMIT
        :: else ->
            countAnyPrevotes(round, c);
            if
            :: c >= QUORUM -> pc[round * N + id] = NIL; step = PRECOMMIT
            :: else -> skip
            fi
        fi
    }

    /* L49: a proposal and a precommit quorum for it, any round: decide, and check agreement. */
    :: atomic {
        decision[id] == NONE ->
        if :: v = VA :: v = VB fi;
        r = 0;
        do
        :: r + 1 < R -> r++
        :: break
        od;
        proposed(r, v, ok);
        countPrecommits(r, v, c);
        if
        :: ok && c >= QUORUM ->
            decision[id] = v;
            i = 0;
            do
            :: i < N ->
                assert(i == BYZ || decision[i] == NONE || decision[i] == v);
                i++
            :: else -> break
            od
        :: else -> skip
        fi
    }

    /* L65: timeout in precommit after a quorum of any precommits: next round. */
    :: atomic {
        round + 1 < R ->
        countAnyPrecommits(round, c);
        if
        :: c >= QUORUM -> startRound(round + 1)
        :: else -> skip
        fi
    }

    /* L55: more than a third of the power is already in the next round. */
    :: atomic {
        round + 1 < R ->
        countSenders(round + 1, c);
        if
        :: c >= SKIP -> startRound(round + 1)
        :: else -> skip
        fi
    }
    od
}

init {
    atomic {
        byte p = 0;
        do
        :: p < N -> if :: p != BYZ -> run Honest(p) :: else -> skip fi; p++
        :: else -> break
        od
    }
}
