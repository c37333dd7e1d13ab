/**
 * The tinycp instruction set: the one table that drives the decoder, the disassembler, the
 * assembler, the Principles of Operation's instruction chapter and the coverage tests.
 *
 * Every instruction is one 32-bit big-endian word: an 8-bit operation code in bits 0-7 and a
 * format-dependent layout in bits 8-31 (PoO 4.1, "Instruction formats"). Operation codes follow
 * System/370's where System/370 had the instruction.
 *
 * Popek & Goldberg classes (PoO 4.3): an instruction is *privileged* when it traps (a
 * privileged-operation program check) in problem state and runs in supervisor state; it is
 * *sensitive* when it can change the configuration of the machine (control-sensitive) or when its
 * result depends on that configuration (behavior-sensitive). Their first theorem needs every
 * sensitive instruction to be privileged; `test/isa.test.ts` checks this table against that rule.
 */

/** Instruction formats (PoO 4.1). Bit positions count from 0 at the left of the word. */
export type Format =
  | 'RR' //  op | R1 | R2 | 0000        "R1,R2"
  | 'RR1' // op | R1 | 0  | 0000        "R1"
  | 'RX' //  op | R1 | B2 | D2 (16, signed)          "R1,D2(B2)"
  | 'RS' //  op | R1 | R3 | B2 | D2 (12, unsigned)   "R1,R3,D2(B2)"
  | 'RSH' // op | R1 | 0  | B2 | D2 (12)            "R1,D2(B2)" shifts
  | 'RI' //  op | R1 | 0  | I2 (16, signed)          "R1,I2"
  | 'RIU' // op | R1 | 0  | I2 (16, unsigned)        "R1,I2"
  | 'RIB' // op | R1 | 0  | I2 (16, signed words, relative to this instruction)  "R1,label"
  | 'SI' //  op | I2 (8) | B1 | D1 (12)              "D1(B1),I2"
  | 'S' //   op | 00 | B2 | D2 (12)                  "D2(B2)"
  | 'I' //   op | 0000 | I (8)                        "I"
  | 'E'; //  op | 000000                              (no operands)

/** Popek & Goldberg classification (PoO 4.3). */
export type Sensitivity = 'innocuous' | 'control' | 'behavior' | 'control+behavior';

/** Which part of the execution engine implements an instruction (PoO 4.4 ff.). */
export type InstrClass = 'load' | 'arith' | 'logical' | 'shift' | 'branch' | 'atomic' | 'control' | 'io' | 'dat' | 'timer';

/** One row of the table. */
export interface InstrDef {
  readonly mnemonic: string;
  readonly opcode: number;
  readonly format: Format;
  readonly cls: InstrClass;
  readonly privileged: boolean;
  readonly sensitive: Sensitivity;
  /** How the condition code is set: 'unchanged' or a named rule from CC_RULES. */
  readonly cc: CcRule;
  /** One line of documentation. */
  readonly doc: string;
  /** Program-check causes this instruction can raise itself (besides those of any access). */
  readonly exceptions: readonly ExceptionName[];
  /** True when the instruction reads or writes storage (so addressing/translation apply). */
  readonly storage?: boolean;
}

export type ExceptionName =
  | 'operation' | 'privileged-operation' | 'protection' | 'addressing' | 'specification'
  | 'fixed-point-overflow' | 'fixed-point-divide' | 'segment-translation' | 'page-translation';

/** Condition-code rules, shared by docs and tests (PoO 3.4). */
export const CC_RULES = {
  unchanged: 'Condition code unchanged.',
  arith: '0 result zero; 1 result less than zero; 2 result greater than zero; 3 overflow.',
  logicalAdd: '0 zero, no carry; 1 not zero, no carry; 2 zero, carry; 3 not zero, carry.',
  logicalSub: '1 not zero, borrow; 2 zero, no borrow; 3 not zero, no borrow.',
  compare: '0 operands equal; 1 first operand low; 2 first operand high.',
  logical: '0 result zero; 1 result not zero.',
  testMask: '0 selected bits all zeros (or mask zero); 1 selected bits mixed; 3 selected bits all ones.',
  swap: '0 operands were equal (second operand replaced); 1 unequal (first operand loaded).',
  testSet: 'Condition code set to the leftmost bit of the byte before it was set.',
  io: '0 started / available; 1 CSW stored; 2 busy; 3 not operational.',
  lra: '0 translation available; 1 segment-table entry invalid or segment beyond the table; 2 page-table entry invalid.',
  diag: 'Set by the function (PoO 11); 3 means the function is not available.',
  setMask: 'Condition code set from bits 2-3 of R1.',
  psw: 'Condition code loaded from the new PSW.',
  clock: '0 the clock value is stored (this machine\'s TOD clock is always in the set state).',
} as const;
export type CcRule = keyof typeof CC_RULES;

type Row = [mnemonic: string, opcode: number, format: Format, cls: InstrClass, priv: boolean,
  sens: Sensitivity, cc: CcRule, doc: string, exc?: readonly ExceptionName[], storage?: boolean];

const ACC: readonly ExceptionName[] = ['addressing', 'specification', 'segment-translation', 'page-translation'];
const ACCW: readonly ExceptionName[] = [...ACC, 'protection'];
/** Byte operands cannot be misaligned. */
const ACCB: readonly ExceptionName[] = ['addressing', 'segment-translation', 'page-translation'];
const ACCBW: readonly ExceptionName[] = [...ACCB, 'protection'];
const SPEC: readonly ExceptionName[] = ['specification'];
const OVF: readonly ExceptionName[] = ['fixed-point-overflow'];
const P = true as const, U = false as const;

/* The table. Keep it sorted by opcode; keep each doc to one line. It is `as const`, so the
 * mnemonics are literal types: `Mnemonic` and `PrivilegedMnemonic` below derive from it. */
const ROWS = [
  ['SPM', 0x04, 'RR1', 'control', U, 'innocuous', 'setMask', 'SET PROGRAM MASK: condition code and program mask from bits 2-7 of R1.'],
  ['BALR', 0x05, 'RR', 'branch', U, 'innocuous', 'unchanged', 'BRANCH AND LINK: R1 = address of next instruction; branch to R2 unless R2 is 0.', SPEC],
  ['BCTR', 0x06, 'RR', 'branch', U, 'innocuous', 'unchanged', 'BRANCH ON COUNT: R1 = R1 - 1; branch to R2 if R1 is not zero and R2 is not 0.', SPEC],
  ['BCR', 0x07, 'RR', 'branch', U, 'innocuous', 'unchanged', 'BRANCH ON CONDITION: branch to R2 if mask M1 selects the condition code (R2 0: no branch).', SPEC],
  ['SVC', 0x0a, 'I', 'control', U, 'innocuous', 'unchanged', 'SUPERVISOR CALL: supervisor-call interruption with code I.'],
  ['MSR', 0x0c, 'RR', 'arith', U, 'innocuous', 'unchanged', 'MULTIPLY SINGLE: R1 = low 32 bits of R1 * R2 (no overflow).'],
  ['LPR', 0x10, 'RR', 'arith', U, 'innocuous', 'arith', 'LOAD POSITIVE: R1 = |R2|.', OVF],
  ['LNR', 0x11, 'RR', 'arith', U, 'innocuous', 'arith', 'LOAD NEGATIVE: R1 = -|R2|.'],
  ['LTR', 0x12, 'RR', 'arith', U, 'innocuous', 'arith', 'LOAD AND TEST: R1 = R2, condition code from the value.'],
  ['LCR', 0x13, 'RR', 'arith', U, 'innocuous', 'arith', 'LOAD COMPLEMENT: R1 = -R2.', OVF],
  ['NR', 0x14, 'RR', 'logical', U, 'innocuous', 'logical', 'AND: R1 = R1 & R2.'],
  ['CLR', 0x15, 'RR', 'logical', U, 'innocuous', 'compare', 'COMPARE LOGICAL: unsigned compare of R1 with R2.'],
  ['OR', 0x16, 'RR', 'logical', U, 'innocuous', 'logical', 'OR: R1 = R1 | R2.'],
  ['XR', 0x17, 'RR', 'logical', U, 'innocuous', 'logical', 'EXCLUSIVE OR: R1 = R1 ^ R2.'],
  ['LR', 0x18, 'RR', 'load', U, 'innocuous', 'unchanged', 'LOAD: R1 = R2.'],
  ['CR', 0x19, 'RR', 'arith', U, 'innocuous', 'compare', 'COMPARE: signed compare of R1 with R2.'],
  ['AR', 0x1a, 'RR', 'arith', U, 'innocuous', 'arith', 'ADD: R1 = R1 + R2.', OVF],
  ['SR', 0x1b, 'RR', 'arith', U, 'innocuous', 'arith', 'SUBTRACT: R1 = R1 - R2.', OVF],
  ['MR', 0x1c, 'RR', 'arith', U, 'innocuous', 'unchanged', 'MULTIPLY: pair R1,R1+1 = R1+1 * R2 (64-bit product; R1 even).', ['specification']],
  ['DR', 0x1d, 'RR', 'arith', U, 'innocuous', 'unchanged', 'DIVIDE: pair R1,R1+1 / R2; remainder in R1, quotient in R1+1 (R1 even).', ['specification', 'fixed-point-divide']],
  ['ALR', 0x1e, 'RR', 'arith', U, 'innocuous', 'logicalAdd', 'ADD LOGICAL: R1 = R1 + R2, unsigned.'],
  ['SLR', 0x1f, 'RR', 'arith', U, 'innocuous', 'logicalSub', 'SUBTRACT LOGICAL: R1 = R1 - R2, unsigned.'],
  ['STH', 0x40, 'RX', 'load', U, 'innocuous', 'unchanged', 'STORE HALFWORD: halfword at D2(B2) = low 16 bits of R1.', ACCW, true],
  ['LA', 0x41, 'RX', 'load', U, 'innocuous', 'unchanged', 'LOAD ADDRESS: R1 = the 24-bit address D2(B2).'],
  ['STC', 0x42, 'RX', 'load', U, 'innocuous', 'unchanged', 'STORE CHARACTER: byte at D2(B2) = low 8 bits of R1.', ACCBW, true],
  ['IC', 0x43, 'RX', 'load', U, 'innocuous', 'unchanged', 'INSERT CHARACTER: low 8 bits of R1 = byte at D2(B2); other bits kept.', ACCB, true],
  ['LLC', 0x44, 'RX', 'load', U, 'innocuous', 'unchanged', 'LOAD LOGICAL CHARACTER: R1 = byte at D2(B2), zero-extended.', ACCB, true],
  ['BAL', 0x45, 'RX', 'branch', U, 'innocuous', 'unchanged', 'BRANCH AND LINK: R1 = address of next instruction; branch to D2(B2).', ['specification']],
  ['BCT', 0x46, 'RX', 'branch', U, 'innocuous', 'unchanged', 'BRANCH ON COUNT: R1 = R1 - 1; branch to D2(B2) if R1 is not zero.', ['specification']],
  ['BC', 0x47, 'RX', 'branch', U, 'innocuous', 'unchanged', 'BRANCH ON CONDITION: branch to D2(B2) if mask M1 selects the condition code.', ['specification']],
  ['LH', 0x48, 'RX', 'load', U, 'innocuous', 'unchanged', 'LOAD HALFWORD: R1 = halfword at D2(B2), sign-extended.', ACC, true],
  ['CH', 0x49, 'RX', 'arith', U, 'innocuous', 'compare', 'COMPARE HALFWORD: signed compare of R1 with the halfword at D2(B2).', ACC, true],
  ['AH', 0x4a, 'RX', 'arith', U, 'innocuous', 'arith', 'ADD HALFWORD: R1 = R1 + halfword at D2(B2).', [...ACC, ...OVF], true],
  ['SH', 0x4b, 'RX', 'arith', U, 'innocuous', 'arith', 'SUBTRACT HALFWORD: R1 = R1 - halfword at D2(B2).', [...ACC, ...OVF], true],
  ['MH', 0x4c, 'RX', 'arith', U, 'innocuous', 'unchanged', 'MULTIPLY HALFWORD: R1 = low 32 bits of R1 * halfword at D2(B2).', ACC, true],
  ['LLH', 0x4d, 'RX', 'load', U, 'innocuous', 'unchanged', 'LOAD LOGICAL HALFWORD: R1 = halfword at D2(B2), zero-extended.', ACC, true],
  ['ST', 0x50, 'RX', 'load', U, 'innocuous', 'unchanged', 'STORE: word at D2(B2) = R1.', ACCW, true],
  ['N', 0x54, 'RX', 'logical', U, 'innocuous', 'logical', 'AND: R1 = R1 & word at D2(B2).', ACC, true],
  ['CL', 0x55, 'RX', 'logical', U, 'innocuous', 'compare', 'COMPARE LOGICAL: unsigned compare of R1 with the word at D2(B2).', ACC, true],
  ['O', 0x56, 'RX', 'logical', U, 'innocuous', 'logical', 'OR: R1 = R1 | word at D2(B2).', ACC, true],
  ['X', 0x57, 'RX', 'logical', U, 'innocuous', 'logical', 'EXCLUSIVE OR: R1 = R1 ^ word at D2(B2).', ACC, true],
  ['L', 0x58, 'RX', 'load', U, 'innocuous', 'unchanged', 'LOAD: R1 = word at D2(B2).', ACC, true],
  ['C', 0x59, 'RX', 'arith', U, 'innocuous', 'compare', 'COMPARE: signed compare of R1 with the word at D2(B2).', ACC, true],
  ['A', 0x5a, 'RX', 'arith', U, 'innocuous', 'arith', 'ADD: R1 = R1 + word at D2(B2).', [...ACC, ...OVF], true],
  ['S', 0x5b, 'RX', 'arith', U, 'innocuous', 'arith', 'SUBTRACT: R1 = R1 - word at D2(B2).', [...ACC, ...OVF], true],
  ['M', 0x5c, 'RX', 'arith', U, 'innocuous', 'unchanged', 'MULTIPLY: pair R1,R1+1 = R1+1 * word at D2(B2) (R1 even).', [...ACC], true],
  ['D', 0x5d, 'RX', 'arith', U, 'innocuous', 'unchanged', 'DIVIDE: pair R1,R1+1 / word at D2(B2) (R1 even).', [...ACC, 'fixed-point-divide'], true],
  ['AL', 0x5e, 'RX', 'arith', U, 'innocuous', 'logicalAdd', 'ADD LOGICAL: R1 = R1 + word at D2(B2), unsigned.', ACC, true],
  ['SL', 0x5f, 'RX', 'arith', U, 'innocuous', 'logicalSub', 'SUBTRACT LOGICAL: R1 = R1 - word at D2(B2), unsigned.', ACC, true],
  ['MS', 0x71, 'RX', 'arith', U, 'innocuous', 'unchanged', 'MULTIPLY SINGLE: R1 = low 32 bits of R1 * word at D2(B2).', ACC, true],
  ['SSM', 0x80, 'S', 'control', P, 'control', 'unchanged', 'SET SYSTEM MASK: PSW bits 0-7 = byte at D2(B2).', ACCB, true],
  ['LPSW', 0x82, 'S', 'control', P, 'control', 'psw', 'LOAD PSW: the current PSW = doubleword at D2(B2).', ACC, true],
  ['DIAG', 0x83, 'RS', 'control', P, 'control+behavior', 'diag', 'DIAGNOSE: model-dependent function D2(B2) with R1 and R3 (under CP: hypercall).', ['specification', 'addressing']],
  ['SRL', 0x88, 'RSH', 'shift', U, 'innocuous', 'unchanged', 'SHIFT RIGHT SINGLE LOGICAL: R1 >>> (D2(B2) & 63).'],
  ['SLL', 0x89, 'RSH', 'shift', U, 'innocuous', 'unchanged', 'SHIFT LEFT SINGLE LOGICAL: R1 << (D2(B2) & 63).'],
  ['SRA', 0x8a, 'RSH', 'shift', U, 'innocuous', 'arith', 'SHIFT RIGHT SINGLE: R1 >> (D2(B2) & 63), arithmetic.'],
  ['SLA', 0x8b, 'RSH', 'shift', U, 'innocuous', 'arith', 'SHIFT LEFT SINGLE: R1 << (D2(B2) & 63), sign kept, overflow tested.', OVF],
  ['SRDL', 0x8c, 'RSH', 'shift', U, 'innocuous', 'unchanged', 'SHIFT RIGHT DOUBLE LOGICAL: 64-bit pair R1,R1+1 >>> amount (R1 even).', ['specification']],
  ['SLDL', 0x8d, 'RSH', 'shift', U, 'innocuous', 'unchanged', 'SHIFT LEFT DOUBLE LOGICAL: 64-bit pair R1,R1+1 << amount (R1 even).', ['specification']],
  ['STM', 0x90, 'RS', 'load', U, 'innocuous', 'unchanged', 'STORE MULTIPLE: words at D2(B2) = R1 through R3 (wrapping after R15).', ACCW, true],
  ['TM', 0x91, 'SI', 'logical', U, 'innocuous', 'testMask', 'TEST UNDER MASK: test the bits of the byte at D1(B1) selected by I2.', ACCB, true],
  ['MVI', 0x92, 'SI', 'load', U, 'innocuous', 'unchanged', 'MOVE IMMEDIATE: byte at D1(B1) = I2.', ACCBW, true],
  ['TS', 0x93, 'S', 'atomic', U, 'innocuous', 'testSet', 'TEST AND SET: CC = leftmost bit of the byte at D2(B2); the byte = all ones.', ACCBW, true],
  ['NI', 0x94, 'SI', 'logical', U, 'innocuous', 'logical', 'AND IMMEDIATE: byte at D1(B1) = byte & I2.', ACCBW, true],
  ['CLI', 0x95, 'SI', 'logical', U, 'innocuous', 'compare', 'COMPARE LOGICAL IMMEDIATE: unsigned compare of the byte at D1(B1) with I2.', ACCB, true],
  ['OI', 0x96, 'SI', 'logical', U, 'innocuous', 'logical', 'OR IMMEDIATE: byte at D1(B1) = byte | I2.', ACCBW, true],
  ['XI', 0x97, 'SI', 'logical', U, 'innocuous', 'logical', 'EXCLUSIVE OR IMMEDIATE: byte at D1(B1) = byte ^ I2.', ACCBW, true],
  ['LM', 0x98, 'RS', 'load', U, 'innocuous', 'unchanged', 'LOAD MULTIPLE: R1 through R3 = words at D2(B2) (wrapping after R15).', ACC, true],
  ['SIO', 0x9c, 'S', 'io', P, 'control', 'io', 'START I/O: start the channel program at the CAW on device D2(B2).'],
  ['TIO', 0x9d, 'S', 'io', P, 'control+behavior', 'io', 'TEST I/O: test device D2(B2); clears and stores a pending status.'],
  ['HIO', 0x9e, 'S', 'io', P, 'control', 'io', 'HALT I/O: end the operation on device D2(B2).'],
  ['STCK', 0xa0, 'S', 'timer', U, 'innocuous', 'clock', 'STORE CLOCK: doubleword at D2(B2) = the TOD clock; CC 0.', ACCW, true],
  ['SCK', 0xa1, 'S', 'timer', P, 'control', 'unchanged', 'SET CLOCK: the TOD clock = doubleword at D2(B2).', ACC, true],
  ['SPT', 0xa2, 'S', 'timer', P, 'control', 'unchanged', 'SET CPU TIMER: the CPU timer = doubleword at D2(B2).', ACC, true],
  ['STPT', 0xa3, 'S', 'timer', P, 'behavior', 'unchanged', 'STORE CPU TIMER: doubleword at D2(B2) = the CPU timer.', ACCW, true],
  ['SCKC', 0xa4, 'S', 'timer', P, 'control', 'unchanged', 'SET CLOCK COMPARATOR: the clock comparator = doubleword at D2(B2).', ACC, true],
  ['STCKC', 0xa5, 'S', 'timer', P, 'behavior', 'unchanged', 'STORE CLOCK COMPARATOR: doubleword at D2(B2) = the clock comparator.', ACCW, true],
  ['PTLB', 0xa6, 'E', 'dat', P, 'control', 'unchanged', 'PURGE TLB: empty the translation-lookaside buffer.'],
  ['STNSM', 0xac, 'SI', 'control', P, 'control+behavior', 'unchanged', 'STORE THEN AND SYSTEM MASK: byte at D1(B1) = system mask; mask = mask & I2.', ACCBW, true],
  ['STOSM', 0xad, 'SI', 'control', P, 'control+behavior', 'unchanged', 'STORE THEN OR SYSTEM MASK: byte at D1(B1) = system mask; mask = mask | I2.', ACCBW, true],
  ['LRA', 0xb1, 'RX', 'dat', P, 'behavior', 'lra', 'LOAD REAL ADDRESS: R1 = real address of D2(B2) through the current tables.', ['addressing']],
  ['STCTL', 0xb6, 'RS', 'control', P, 'behavior', 'unchanged', 'STORE CONTROL: words at D2(B2) = control registers R1 through R3.', ACCW, true],
  ['LCTL', 0xb7, 'RS', 'control', P, 'control', 'unchanged', 'LOAD CONTROL: control registers R1 through R3 = words at D2(B2).', ACC, true],
  ['CS', 0xba, 'RS', 'atomic', U, 'innocuous', 'swap', 'COMPARE AND SWAP: if R1 = word at D2(B2) then word = R3 (CC 0), else R1 = word (CC 1).', ACCW, true],
  ['LHI', 0xc0, 'RI', 'load', U, 'innocuous', 'unchanged', 'LOAD HALFWORD IMMEDIATE: R1 = I2, sign-extended.'],
  ['AHI', 0xc1, 'RI', 'arith', U, 'innocuous', 'arith', 'ADD HALFWORD IMMEDIATE: R1 = R1 + I2.', OVF],
  ['CHI', 0xc2, 'RI', 'arith', U, 'innocuous', 'compare', 'COMPARE HALFWORD IMMEDIATE: signed compare of R1 with I2.'],
  ['MHI', 0xc3, 'RI', 'arith', U, 'innocuous', 'unchanged', 'MULTIPLY HALFWORD IMMEDIATE: R1 = low 32 bits of R1 * I2.'],
  ['LUH', 0xc4, 'RIU', 'load', U, 'innocuous', 'unchanged', 'LOAD UPPER HALFWORD: R1 = I2 << 16 (low half zero).'],
  ['OIL', 0xc5, 'RIU', 'logical', U, 'innocuous', 'unchanged', 'OR IMMEDIATE LOW: R1 = R1 | I2 (I2 unsigned; no condition code).'],
  ['NIL', 0xc6, 'RIU', 'logical', U, 'innocuous', 'logical', 'AND IMMEDIATE LOW: low 16 bits of R1 = low 16 bits & I2.'],
  ['XIL', 0xc7, 'RIU', 'logical', U, 'innocuous', 'logical', 'EXCLUSIVE OR IMMEDIATE LOW: low 16 bits of R1 = low 16 bits ^ I2.'],
  ['BRC', 0xd0, 'RIB', 'branch', U, 'innocuous', 'unchanged', 'BRANCH RELATIVE ON CONDITION: branch to the label if mask M1 selects the condition code.'],
  ['BRAS', 0xd1, 'RIB', 'branch', U, 'innocuous', 'unchanged', 'BRANCH RELATIVE AND SAVE: R1 = address of next instruction; branch to the label.'],
  ['BRCT', 0xd2, 'RIB', 'branch', U, 'innocuous', 'unchanged', 'BRANCH RELATIVE ON COUNT: R1 = R1 - 1; branch to the label if R1 is not zero.'],
  ['LARL', 0xd3, 'RIB', 'load', U, 'innocuous', 'unchanged', 'LOAD ADDRESS RELATIVE: R1 = the address of the label.'],
] as const satisfies readonly Row[];

/** Every mnemonic of the table, as a type (exhaustive switches and records derive from it). */
export type Mnemonic = (typeof ROWS)[number][0];
/** The privileged mnemonics, as a type: CP's emulator table must cover exactly these. */
export type PrivilegedMnemonic = Extract<(typeof ROWS)[number], readonly [string, number, Format, InstrClass, true, ...unknown[]]>[0];

/** The instruction table, in opcode order. */
export const ISA: readonly InstrDef[] = ROWS.map(([mnemonic, opcode, format, cls, privileged, sensitive, cc, doc, exceptions, storage]) => ({
  mnemonic, opcode, format, cls, privileged, sensitive, cc, doc,
  exceptions: [...new Set<ExceptionName>([...(privileged ? ['privileged-operation' as const] : []), ...(exceptions ?? [])])],
  storage: storage ?? false,
}));

/**
 * The operation code of every mnemonic, typed: `OP.LPSW`. Code outside this file names opcodes
 * through it, never as a literal (the interpreter's hot switch excepted: test/isa.test.ts checks
 * its case labels against this table).
 */
export const OP: { readonly [M in Mnemonic]: number } = Object.freeze(
  Object.fromEntries(ROWS.map((r) => [r[0], r[1]])) as { [M in Mnemonic]: number });

/**
 * How an instruction moves control or reaches devices, for front ends (DAP's step over and step
 * out, the debugger's STEP OVER / RETURN, TRACE): 'call' links and branches (BAL, BALR, BRAS),
 * 'return' ends a handler (LPSW; BR, the BCR 15 form, is told apart by `isReturn`), 'branch' may
 * change the instruction address, 'io' starts or tests a device. Keyed by the table's mnemonics.
 */
export type Flow = 'call' | 'return' | 'branch' | 'io';
export const FLOW: { readonly [M in Mnemonic]?: Flow } = {
  BALR: 'call', BAL: 'call', BRAS: 'call', LPSW: 'return',
  BCTR: 'branch', BCR: 'branch', BCT: 'branch', BC: 'branch', BRC: 'branch', BRCT: 'branch',
  SIO: 'io', TIO: 'io', HIO: 'io',
};
const FLOW_BY_OPCODE: readonly (Flow | undefined)[] = (() => {
  const t: (Flow | undefined)[] = new Array(256).fill(undefined);
  for (const r of ROWS) t[r[1]] = FLOW[r[0]];
  return t;
})();

/** The flow class of instruction word `w` (PoO 4.6), or undefined. */
export function flowOf(w: number): Flow | undefined { return FLOW_BY_OPCODE[w >>> 24]; }

/** A call: BAL, BRAS, or BALR with a branch register (BALR R14,0 only loads the link). */
export function isCall(w: number): boolean {
  return flowOf(w) === 'call' && !(w >>> 24 === OP.BALR && ((w >>> 16) & 15) === 0);
}

/** A return: BR Rn (BCR 15,Rn with n not 0) from a routine, or LPSW from an interruption handler. */
export function isReturn(w: number): boolean {
  return flowOf(w) === 'return' || (w >>> 24 === OP.BCR && ((w >>> 20) & 15) === 15 && ((w >>> 16) & 15) !== 0);
}

/** Opcode -> definition (undefined: an operation exception). Built once at load time. */
export const BY_OPCODE: readonly (InstrDef | undefined)[] = (() => {
  const t: (InstrDef | undefined)[] = new Array(256).fill(undefined);
  for (const d of ISA) {
    if (t[d.opcode]) throw new Error(`isa: opcode ${d.opcode.toString(16)} defined twice`);
    t[d.opcode] = d;
  }
  return t;
})();

/** Mnemonic -> definition. */
export const BY_MNEMONIC: ReadonlyMap<string, InstrDef> = new Map(ISA.map((d) => [d.mnemonic, d]));

/** 1 for each privileged opcode: the CPU's privilege check is one load from this array. */
export const PRIVILEGED: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const d of ISA) if (d.privileged) t[d.opcode] = 1;
  return t;
})();

/**
 * Extended mnemonics (PoO 4.2): branch mnemonics with the mask built in, as System/370's
 * assembler offered. `B label` is `BC 15,label`; `J label` is `BRC 15,label`.
 */
export interface ExtendedMnemonic { readonly mnemonic: string; readonly base: string; readonly mask: number; readonly doc: string }
const MASKS: readonly [suffix: string, mask: number, meaning: string][] = [
  ['', 15, 'always'], ['NOP', 0, 'never'],
  ['E', 8, 'equal / zero (CC 0)'], ['NE', 7, 'not equal / not zero'], ['Z', 8, 'zero (CC 0)'], ['NZ', 7, 'not zero'],
  ['L', 4, 'low (CC 1)'], ['NL', 11, 'not low'], ['M', 4, 'minus (CC 1)'], ['NM', 11, 'not minus'],
  ['H', 2, 'high (CC 2)'], ['NH', 13, 'not high'], ['P', 2, 'plus (CC 2)'], ['NP', 13, 'not plus'],
  ['O', 1, 'overflow / ones (CC 3)'], ['NO', 14, 'not overflow'],
];
export const EXTENDED: readonly ExtendedMnemonic[] = MASKS.flatMap(([s, mask, meaning]) => {
  // System/370 spellings: BE / BER (register) / JE (relative); NOP, NOPR, JNOP never branch.
  const nop = s === 'NOP';
  return [
    { mnemonic: nop ? 'NOP' : 'B' + s, base: 'BC', mask, doc: `Branch if ${meaning}.` },
    { mnemonic: nop ? 'NOPR' : 'B' + s + 'R', base: 'BCR', mask, doc: `Branch to register if ${meaning}.` },
    { mnemonic: nop ? 'JNOP' : 'J' + s, base: 'BRC', mask, doc: `Jump (relative) if ${meaning}.` },
  ];
});

/**
 * Field extraction (PoO 4.1). Pure functions of the instruction word; the interpreter inlines the
 * same shifts. Note: in RX the base register B2 sits in bits 12-15, where `r2` reads it; `b`
 * (bits 16-19) is the base of the RS, RSH, SI and S formats.
 */
export const field = {
  op: (w: number) => w >>> 24,
  r1: (w: number) => (w >>> 20) & 15,
  r2: (w: number) => (w >>> 16) & 15,
  b: (w: number) => (w >>> 12) & 15,
  d12: (w: number) => w & 0xfff,
  i16: (w: number) => (w << 16) >> 16,
  u16: (w: number) => w & 0xffff,
  i8: (w: number) => (w >>> 16) & 0xff,
  svc: (w: number) => w & 0xff,
} as const;
