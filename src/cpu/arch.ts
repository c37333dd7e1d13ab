/**
 * Architectural constants: PSW bits, low-storage assignments, interruption codes, control
 * registers and DAT formats. Names follow System/370 (PoO chapters 2, 5, 6 and 8).
 * Both the real CPU and CP's virtual machines use these, so the layout is stated once.
 */

/* ---- PSW (PoO 2.2). Word 0 holds the flags; word 1 holds the 24-bit instruction address. ---- */
/** PSW bits that must be zero: 0-4 (no program-event recording), 12, 16-17 and 24-31 (PoO 2.2). */
export const PSW_RESERVED = 0xf808_c0ff | 0;
/** PSW bit 5: dynamic address translation. */
export const PSW_DAT = 0x0400_0000;
/** PSW bit 6: I/O interruption mask. */
export const PSW_IO = 0x0200_0000;
/** PSW bit 7: external interruption mask. */
export const PSW_EXT = 0x0100_0000;
/** PSW bits 0-7: the system mask (what SSM, STOSM and STNSM set). */
export const PSW_SYSTEM_MASK = 0xff00_0000;
/** PSW bits 8-11: the protection key (kept, not checked: there are no storage keys). */
export const PSW_KEY = 0x00f0_0000;
/** PSW bit 13: machine-check mask (kept; no machine checks are generated). */
export const PSW_MCHECK = 0x0004_0000;
/** PSW bit 14: wait state. */
export const PSW_WAIT = 0x0002_0000;
/** PSW bit 15: problem state (0 = supervisor state). */
export const PSW_PROBLEM = 0x0001_0000;
/** PSW bits 18-19: condition code (kept outside the flags word while the CPU runs). */
export const PSW_CC_SHIFT = 12;
export const PSW_CC = 0x0000_3000;
/** PSW bit 20: fixed-point-overflow mask (program mask). */
export const PSW_FIXED_OVERFLOW = 0x0000_0800;
/** PSW bits 20-23: program mask. */
export const PSW_PROGRAM_MASK = 0x0000_0f00;
/** Word 1: the instruction address is 24 bits; bits 0-7 must be zero. */
export const ADDRESS_MASK = 0x00ff_ffff;

/* ---- Low storage (PoO 5.1): fixed locations of the interruption mechanism. ---- */
export const LC_RESTART_NEW = 0x000; // also the IPL PSW
export const LC_RESTART_OLD = 0x008; // restart old PSW
export const LC_EXTERNAL_OLD = 0x018; // external old PSW
export const LC_SVC_OLD = 0x020; // supervisor-call old PSW
export const LC_PROGRAM_OLD = 0x028; // program old PSW
export const LC_MCHECK_OLD = 0x030; // machine-check old PSW
export const LC_IO_OLD = 0x038; // I/O old PSW
export const LC_CSW = 0x040; // channel status word (doubleword)
export const LC_CAW = 0x048; // channel address word: address of the first CCW
export const LC_EXTERNAL_NEW = 0x058; // external new PSW
export const LC_SVC_NEW = 0x060; // supervisor-call new PSW
export const LC_PROGRAM_NEW = 0x068; // program new PSW
export const LC_MCHECK_NEW = 0x070; // machine-check new PSW
export const LC_IO_NEW = 0x078; // I/O new PSW
export const LC_EXT_CODE = 0x084; // word: external interruption code
export const LC_SVC_CODE = 0x088; // word: SVC number
export const LC_PGM_CODE = 0x08c; // word: program interruption code
export const LC_TRANS_ADDR = 0x090; // word: failing virtual address (translation, protection)
export const LC_IO_ADDR = 0x0b8; // word: device address of an I/O interruption
/**
 * Interruptions in a row with no instruction completed between them that make an interruption
 * loop (PoO 5.2.1): the machine check-stops (under CP: the VM stops) instead of looping forever.
 */
export const INTERRUPTION_LOOP_LIMIT = 64;
/** First byte after the architected low-storage area. */
export const LC_END = 0x200;

/** Interruption classes, in the order of the old/new PSW pairs (PoO 5.1). */
export const INT_RESTART = 0;
export const INT_EXTERNAL = 1;
export const INT_SVC = 2;
export const INT_PROGRAM = 3;
export const INT_MCHECK = 4;
export const INT_IO = 5;
export const INT_CLASS_NAMES = ['restart', 'external', 'svc', 'program', 'machine-check', 'io'] as const;
export const OLD_PSW: readonly number[] = [LC_RESTART_OLD, LC_EXTERNAL_OLD, LC_SVC_OLD, LC_PROGRAM_OLD, LC_MCHECK_OLD, LC_IO_OLD];
export const NEW_PSW: readonly number[] = [LC_RESTART_NEW, LC_EXTERNAL_NEW, LC_SVC_NEW, LC_PROGRAM_NEW, LC_MCHECK_NEW, LC_IO_NEW];
/** Where the interruption code of each class is stored (-1: none). */
export const CODE_LOC: readonly number[] = [-1, LC_EXT_CODE, LC_SVC_CODE, LC_PGM_CODE, -1, LC_IO_ADDR];

/* ---- Program interruption codes (PoO 5.3). ---- */
export const PGM_OPERATION = 0x01; // operation exception (undefined operation code)
export const PGM_PRIVILEGED = 0x02; // privileged-operation exception (problem state)
export const PGM_PROTECTION = 0x04; // protection exception
export const PGM_ADDRESSING = 0x05; // addressing exception (beyond storage)
export const PGM_SPECIFICATION = 0x06; // specification exception (alignment, invalid PSW, odd register pair ...)
export const PGM_FIXED_OVERFLOW = 0x08; // fixed-point-overflow exception
export const PGM_FIXED_DIVIDE = 0x09; // fixed-point-divide exception
export const PGM_SEGMENT = 0x10; // segment-translation exception
export const PGM_PAGE = 0x11; // page-translation exception
export const PGM_NAMES: Readonly<Record<number, string>> = {
  [PGM_OPERATION]: 'operation', [PGM_PRIVILEGED]: 'privileged-operation', [PGM_PROTECTION]: 'protection',
  [PGM_ADDRESSING]: 'addressing', [PGM_SPECIFICATION]: 'specification', [PGM_FIXED_OVERFLOW]: 'fixed-point-overflow',
  [PGM_FIXED_DIVIDE]: 'fixed-point-divide', [PGM_SEGMENT]: 'segment-translation', [PGM_PAGE]: 'page-translation',
};
/** Translation exceptions nullify: the old PSW points at the failing instruction (PoO 5.3.2). */
export function pgmNullifies(code: number): boolean { return code === PGM_SEGMENT || code === PGM_PAGE; }

/* ---- External interruption codes and their CR0 subclass masks (PoO 5.4). ---- */
export const EXT_INTERRUPT_KEY = 0x0040; // interrupt key (the operator's EXTERNAL command)
export const EXT_CLOCK_COMPARATOR = 0x1004; // clock comparator (TOD clock > comparator)
export const EXT_CPU_TIMER = 0x1005; // CPU timer (negative)
export const CR0_CKC_MASK = 0x0000_0800; // CR0 bit 20
export const CR0_CPT_MASK = 0x0000_0400; // CR0 bit 21
export const CR0_KEY_MASK = 0x0000_0040; // CR0 bit 25
/** CR0 after reset: all external subclasses enabled, so a PSW mask bit alone governs them. */
export const CR0_RESET = CR0_CKC_MASK | CR0_CPT_MASK | CR0_KEY_MASK;

/* ---- Dynamic address translation (PoO 6). 24-bit virtual addresses: 16 segments of 1 MiB, 256 pages of 4 KiB each. ---- */
export const PAGE_SHIFT = 12; // log2 of the page size
export const PAGE_SIZE = 4096; // bytes in a page
export const SEGMENT_SHIFT = 20; // log2 of the segment size (1 MiB)
/** CR1: segment-table origin (64-byte aligned real address) | segment-table length - 1 (bits 28-31). */
export const CR1_STO = 0x00ff_ffc0;
export const CR1_STL = 0x0000_000f;
/** Segment-table entry: page-table origin (64-byte aligned) | invalid bit. */
export const STE_PTO = 0x00ff_ffc0;
export const STE_INVALID = 0x0000_0001;
/** Page-table entry: page-frame real address | invalid | protection. */
export const PTE_PFRA = 0x00ff_f000;
export const PTE_INVALID = 0x0000_0400;
export const PTE_PROTECT = 0x0000_0200;
/** TLB entries (one Int32 per virtual page): frame | TLB_VALID | TLB_PROTECT; 0 = no entry. */
export const TLB_VALID = 1;
export const TLB_PROTECT = 2;
export const TLB_ENTRIES = 4096;

/* ---- I/O (PoO 8). ---- */
/** CCW flags (byte 4 of the CCW). */
export const CCW_CD = 0x80; // chain data
export const CCW_CC = 0x40; // chain command
export const CCW_SLI = 0x20; // suppress incorrect length
export const CCW_SKIP = 0x10; // read without storing
/** CCW commands. */
export const CMD_WRITE = 0x01; // write
export const CMD_READ = 0x02; // read
export const CMD_CONTROL = 0x03; // no-operation control
export const CMD_SENSE = 0x04; // sense (read the device's sense byte)
export const CMD_SEEK = 0x07; // seek (disk: block number)
export const CMD_TIC = 0x08; // transfer in channel (branch to a CCW)
/** Unit status (CSW byte 4). */
export const UNIT_ATTENTION = 0x80;
export const UNIT_BUSY = 0x10;
export const UNIT_CHANNEL_END = 0x08;
export const UNIT_DEVICE_END = 0x04;
export const UNIT_CHECK = 0x02;
export const UNIT_EXCEPTION = 0x01;
/** Channel status (CSW byte 5). */
export const CHAN_INCORRECT_LENGTH = 0x40;
export const CHAN_PROGRAM_CHECK = 0x20;
export const CHAN_PROTECTION_CHECK = 0x10;
/** A channel program may run at most this many CCWs; more is a channel program check (no host hangs). */
export const MAX_CCWS = 4096;

/* ---- Device addresses of the standard configuration (PoO 8.10, 9.1). ---- */
export const DEV_CONSOLE = 0x009; // 3215 console
export const DEV_READER = 0x00c; // 2540 card reader
export const DEV_PUNCH = 0x00d; // 2540 card punch
export const DEV_PRINTER = 0x00e; // 1403 printer

/* ---- DIAGNOSE functions (PoO 11). ---- */
export const DIAG_IDENTIFY = 0x00; // IDENTIFY: R1 = IDENTIFY_MAGIC, R3 = nesting level (11.2)
export const DIAG_CP_COMMAND = 0x08; // CP command (11.3)
export const DIAG_STORAGE_SIZE = 0x0c; // STORAGE SIZE: R1 = bytes of storage (11.4)
export const DIAG_CONSOLE_WRITE = 0x10; // CONSOLE WRITE: R1 = address, R3 = length (11.5)
export const DIAG_TEST_RESULT = 0xf0; // TEST RESULT: R1 = result, 0 = pass; the program stops (11.6)
/** DIAGNOSE IDENTIFY returns this in R1 ('TCP'), and the nesting level in R3. */
export const IDENTIFY_MAGIC = 0x5443_5000;
