* minicp.s - a small virtual machine monitor for tinycp, in tinycp assembly.
*
* minicp runs one guest by trap-and-emulate (Popek & Goldberg, 1974) on whatever machine it
* finds itself on: the bare machine, a virtual machine under CP, or a virtual machine made by
* another minicp. It uses nothing but the architecture of the Principles of Operation (PoO), so
* it can run itself: minicp under minicp under minicp is Popek & Goldberg's theorem 2
* (recursive virtualizability) by experiment.
*
* The tour, one file per concern (read them in this order):
*
*   minicp.s   this file: storage, the virtual machine's state, booting the guest
*   trap.s     the four doors into minicp (PoO 5.1): program, SVC, external, I/O interruptions
*   run.s      the way back out: present pending virtual interruptions, set the clocks, resume
*   reflect.s  the one way an interruption enters the guest (PoO 5.1, done on guest storage)
*   emulate.s  the privileged instructions, performed on the virtual PSW and control registers
*   clock.s    the guest's clocks: exact 64-bit values, stopping at the ends of the range
*   dat.s      the guest's storage confined by DAT, and the guest's own DAT by shadow tables
*   io.s       START/TEST/HALT I/O by CCW translation; I/O interruptions held until due
*   diag.s     DIAGNOSE: IDENTIFY one level deeper, the other functions passed through
*
* The guest runs in real problem state with DAT on, always (PoO 10.2 is the same design in CP):
* every privileged instruction it issues is a privileged-operation exception that comes to
* trap.s; every address it uses goes through minicp's tables, which map guest-real storage to
* the part of real storage above GUEST_BASE. The guest cannot reach minicp or anything else.
*
* Time. This machine's time is the count of executed instructions (PoO 7), so the guest must
* not see minicp's instructions. minicp keeps the guest's time (vnow) and gives the real clocks
* back to the guest whenever it runs: the real TOD clock is set to the guest's (so STCK, which
* is unprivileged, reads the guest's time), and the real CPU timer is set to go off exactly at
* the guest's next virtual event (its CPU timer, its clock comparator, or an I/O interruption
* falling due). On entry minicp reads the TOD clock first thing and so knows, to the
* instruction, how far the guest has run (or the CPU timer, when the guest's TOD clock could
* stop at the end of its range meanwhile: clock.s, trap.s).
*
* How the guest is given: its image is loaded at GUEST_BASE (guest-real address 0 is real
* GUEST_BASE), with its IPL PSW at guest-real 0 (PoO 5.1.2), and minicp's header word at
* X'1FC' says where that is. `tinycp run --nest N` builds such images (src/cli/nest.ts); a
* nested minicp's guest sits at GUEST_BASE of its own storage, and so on down.
        .include "tinycp.inc"
        .include "minicp.inc"

* ---- Low storage (PoO 5.1.1): every interruption enters minicp disabled, DAT off ----
        .org  0
        .psw  0, boot
        .org  LC_EXTERNAL_NEW
        .psw  0, ext_entry
        .psw  0, svc_entry
        .psw  0, pgm_entry
        .psw  PSW_WAIT, 0xDEC         ; machine check: never generated (PoO 5.8)
        .psw  0, io_entry
        .org  0x1F8
hdr_magic: .ascii "MCP1"              ; the header: a nesting tool checks it ...
hdr_base:  .word GUEST_BASE           ; ... and loads the guest image here

* ---- The virtual machine (PoO 10.1), and minicp's working storage, all below X'1000' ----
        .org  0x200
gregs:  .space 64                     ; the guest's general registers while minicp runs
        .align 8
vpsw:   .psw  0, 0                    ; the guest's PSW: state, masks, CC, instruction address
respsw: .psw  0, 0                    ; the real PSW that resumes the guest (run.s)
crashpsw: .psw PSW_WAIT, 0xB00        ; minicp's own program check: stop (trap.s)
vcr:    .space 64                     ; the guest's control registers CR0-CR15
ent_tod: .word 0, 0                   ; real TOD clock read as minicp is entered (trap.s)
res_tod: .word 0, 0                   ; ... and set as the guest is resumed (run.s)
res_tmr: .word 0, 0                   ; real CPU timer when the guest is resumed
vnow:   .word 0, 0                    ; the guest's time: its instructions, plus its waits (PoO 7)
todoff: .word 0, 0                    ; guest TOD clock = vnow + todoff, modulo 2^64 (clock.s)
todneg: .word 0                       ; 1: the value the guest's SCK set was negative
tmrzero: .word NEVER_HI, NEVER_LO     ; guest CPU timer = tmrzero - vnow, modulo 2^64 (clock.s)
tmrneg: .word 0                       ; 1: the value the guest's SPT set was negative
ckc:    .word NEVER_HI, NEVER_LO      ; guest clock comparator
viatmr: .word 0                       ; 1: the real TOD clock cannot tell the guest's time
                                      ; (clock.s): read it from the real CPU timer (trap.s)
ent_tmr: .word 0, 0                   ; real CPU timer read as minicp is entered (viatmr only)
fillpte: .word 0                      ; dat.s: the shadow PTE being stored
xopgr:  .word 0                       ; dat.s: a translated operand's guest-real address
dwork:  .word 0, 0                    ; a doubleword of scratch
exit_tod: .word 0, 0                  ; real TOD as minicp leaves (for its own statistics)
gsize:  .word 0                       ; size of guest-real storage, bytes
level:  .word 0                       ; the nesting level minicp itself runs at (DIAGNOSE X'00')
curcr1: .word 0                       ; the real CR1 now loaded
grcr1:  .word GRSEGTAB|15             ; real CR1 for a guest with DAT off: guest-real tables
shcr1:  .word SHSEGTAB|15             ; real CR1 for a guest with DAT on: the shadow tables
realcr0: .word CR0_CPT_MASK|CR0_KEY_MASK ; minicp uses the CPU timer, and passes the key through
streak: .word 0                       ; interruptions reflected with no guest progress (reflect.s)
lastrf: .word 0                       ; the guest's time (low word) at the last reflection
radj:   .word 0                       ; real clock = TOD clock + radj (low words; run.s keeps it)
resreal: .word 0                      ; the real clock when the guest was last resumed
siotod: .word 0, 0                    ; TOD clock just before a real SIO (io.s)
aftic:  .word 0                       ; io.s: the CCW being translated was reached by a TIC
latcon: .word 0                       ; io.s: the command being translated is a console WRITE
latinp: .word 0                       ; io.s: ... takes an input record (SENSE, reader READ)
latrec: .word 0                       ; io.s: ... the bytes of its record not yet counted
latbase: .word 0                      ; io.s: the latency before the command being translated
latrd:  .word 0                       ; io.s: ... and the console READ before it
latstop: .word 0                      ; io.s: the chain being translated ends before this CCW
rdccw:  .word 0                       ; io.s: the console READ of the program being translated
vkey:   .word 0                       ; the interrupt key was pressed for the guest (PoO 5.4)
opaddr: .space 64                     ; real addresses of an instruction's operand words (emulate.s)
* Statistics, read by the test that measures trap amplification (test/minicp.test.ts):
stat_traps:  .word 0                  ; times minicp was entered
stat_priv:   .word 0                  ; privileged instructions emulated
stat_fills:  .word 0                  ; shadow-table fills
stat_reflect: .word 0                 ; interruptions reflected into the guest
stat_instr:  .word 0                  ; instructions minicp itself executed (from the TOD clock)
* The last event, for a narrator outside (tinycp run --nest --trace): complete when ev_seq moves.
ev_seq:  .word 0                      ; events handled so far (counted as minicp resumes)
ev_cls:  .word 0                      ; the interruption class that entered minicp (PoO 5.1)
ev_code: .word 0                      ; its code (program, SVC, external code; I/O device)
ev_ia:   .word 0                      ; the guest's instruction address in the old PSW
ev_act:  .word 0                      ; 0 none, 1 emulated, 2 reflected, 3 shadow fill
ev_word: .word 0                      ; the instruction emulated
ev_rcls: .word 0                      ; the class and code last reflected into the guest
ev_rcode: .word 0
        .align 64
slots:  .space NSLOTS*SLOTLEN         ; the I/O slots (io.s)
        .ltorg
vars_end = *
        .if   vars_end > 0x1000
        .error "minicp's variables must stay below X'1000'"
        .endif

* ---- Boot: make the virtual machine, then run the guest from its IPL PSW ----
        .org  0x1000
boot:   DIAG  R2,R3,DIAG_IDENTIFY     ; how deep are we? (PoO 11.2)
        ST    R3,level
        DIAG  R2,R0,DIAG_STORAGE_SIZE ; the guest gets everything above GUEST_BASE (PoO 11.4)
        S     R2,=GUEST_BASE
        ST    R2,gsize
        BRAS  R14,grtables            ; guest-real -> real tables (dat.s)
        BRAS  R14,shpurge             ; an empty shadow table (dat.s)
        LCTL  R0,R0,realcr0           ; CR0: the CPU-timer and interrupt-key subclasses only
        LCTL  R1,R1,grcr1             ; CR1: the guest-real tables
        L     R1,grcr1
        ST    R1,curcr1
        LI    R1,CR0_RESET            ; the guest's control registers after reset (PoO 2.6)
        ST    R1,vcr
        L     R1,=GUEST_BASE          ; the guest's IPL PSW, at its address 0 (PoO 5.1.2)
        LM    R2,R3,0(R1)
        STM   R2,R3,vpsw
        J     resume                  ; run.s

        .include "trap.s"
        .include "run.s"
        .include "reflect.s"
        .include "emulate.s"
        .include "clock.s"
        .include "dat.s"
        .include "io.s"
        .include "diag.s"
        .ltorg
code_end = *
        .if   code_end > SLOTCOPY
        .error "minicp's code must end below SLOTCOPY"
        .endif
