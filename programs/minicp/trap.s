* trap.s - the four doors into minicp.
*
* Every interruption (PoO 5.1) stores the real PSW as an old PSW and loads minicp's new PSW:
* supervisor state, DAT off, everything disabled. The registers are still the guest's, so each
* door first reads the TOD clock (to know the guest's time, PoO 7.1) and saves the registers,
* with S and RS instructions whose operands need no base register (they are below X'1000').
* Then one common path works out what the guest's time and PSW are, and which event it was.
* Every door is four instructions, so the path from its STCK to any point of `entry` has the
* same length: minicp's accounting of its own time depends on that.

ext_entry: STCK ent_tod
        STM   R0,R15,gregs
        LHI   R10,INT_EXTERNAL
        J     entry
svc_entry: STCK ent_tod
        STM   R0,R15,gregs
        LHI   R10,INT_SVC
        J     entry
pgm_entry: STCK ent_tod
        STM   R0,R15,gregs
        LHI   R10,INT_PROGRAM
        J     entry
io_entry: STCK ent_tod
        STM   R0,R15,gregs
        LHI   R10,INT_IO
        J     entry

* The real TOD clock stopped at X'7FFFFFFFFFFFFFFF', or was set late (clock.s, viatmr)? Then
* ent_tod says nothing: read the real CPU timer, which run.s set to res_tmr at the SPT, 4 units
* before the guest's first instruction, and which counts down exactly (PoO 7.2). If the STCK ran
* at time e, this STPT runs at e+6 and reads res_tmr - (e+6 - SPT): so the guest ran for
* res_tmr - ent_tmr - 10 units. From it, the TOD clock the STCK would have read without stopping
* (its low word, for the statistics and the real clock of io.s: the SCK was 2 after the SPT),
* and a real TOD clock that goes on from there (high word 0: far from stopping). Straight-line
* code: every instruction counted.
entry:  TM    viatmr+3,1              ; e+4
        JZ    ent_go                  ; e+5
        STPT  ent_tmr                 ; e+6
        L     R1,res_tmr+4
        S     R1,ent_tmr+4
        A     R1,res_tod+4            ; res_tod + (e+6 - SPT)
        AHI   R1,-8                   ; ... at the STCK: res_tod + (e - SCK)
        ST    R1,ent_tod+4
        AHI   R1,16                   ; the TOD clock at the SCK below, e+16
        ST    R1,dwork+4
        LHI   R0,0
        ST    R0,dwork
        SCK   dwork                   ; e+16
* R10 = the interruption class. The real old PSW is at OLD_PSW[class] (PoO 5.1).
ent_go: L     R1,stat_traps
        AHI   R1,1
        ST    R1,stat_traps
        LR    R1,R10
        SLL   R1,2
        L     R1,oldtab(R1)
        LM    R2,R3,0(R1)             ; R2:R3 = the real old PSW
        ST    R10,ev_cls              ; the event, for a narrator (minicp.s)
        ST    R3,ev_ia
        LHI   R0,0
        ST    R0,ev_act
        LR    R1,R10
        SLL   R1,2
        L     R1,codetab(R1)          ; reflect.s: where each class's code is
        L     R0,0(R1)
        ST    R0,ev_code
* Was it the guest? The guest runs in problem state, or minicp waits on its behalf (run.s).
* Anything else is minicp's own fault: stop with a disabled wait whose code names the class.
        LR    R0,R2
        N     R0,=PSW_PROBLEM|PSW_WAIT
        JNZ   guest
        SLL   R10,2
        AHI   R10,0xB00
        ST    R10,crashpsw+4
        LPSW  crashpsw
* The guest's time: the real TOD clock was the guest's TOD clock while it ran (run.s), and
* an interruption takes no time, so vnow = TOD - todoff (PoO 7.6 holds for minicp too). Or,
* when that clock could not tell (viatmr), vnow grows by the time the CPU timer measured.
guest:  TM    viatmr+3,1
        JO    guest_t
        LM    R4,R5,ent_tod
        LM    R6,R7,todoff
        SUB64 R4,R5,R6,R7
        J     guest_v
guest_t: LM   R4,R5,res_tmr           ; the guest ran res_tmr - ent_tmr - 10 units (above)
        LM    R6,R7,ent_tmr
        SUB64 R4,R5,R6,R7
        LHI   R6,-1
        LHI   R7,-10
        ADD64 R4,R5,R6,R7
        LM    R6,R7,vnow
        ADD64 R4,R5,R6,R7
guest_v: STM  R4,R5,vnow
* The guest's PSW: minicp's copy has the state and masks (the guest cannot change those in
* problem state); the real old PSW has the condition code, program mask and address (SPM and
* every branch run directly). If minicp was waiting for the guest, the copy is already right.
        LR    R0,R2
        N     R0,=PSW_WAIT
        JNZ   class
        L     R0,vpsw
        N     R0,=~(PSW_CC|PSW_PROGRAM_MASK)
        N     R2,=PSW_CC|PSW_PROGRAM_MASK
        OR    R0,R2
        ST    R0,vpsw
        ST    R3,vpsw+4
class:  CHI   R10,INT_PROGRAM
        JE    on_pgm
        CHI   R10,INT_SVC
        JE    on_svc
        CHI   R10,INT_IO
        JE    on_io                   ; io.s
* External: the real CPU timer is minicp's alarm clock for the guest's next event (run.s), so
* it needs nothing here; the interrupt key is the guest's (PoO 5.4): remember it.
        L     R1,LC_EXT_CODE
        CHI   R1,EXT_INTERRUPT_KEY
        JNE   resume
        LHI   R1,1
        ST    R1,vkey
        J     resume

* SVC: not sensitive, it interrupts in every state (PoO 4.3); reflect it with its number.
on_svc: LHI   R2,INT_SVC
        L     R3,LC_SVC_CODE
        J     reflect_go

* Program interruptions (PoO 5.3): a privileged operation is emulated when the guest is in
* virtual supervisor state (emulate.s) and reflected in virtual problem state (PoO 10.3);
* translation exceptions are minicp's own tables speaking (dat.s); the rest are the guest's.
on_pgm: L     R3,LC_PGM_CODE
        CHI   R3,PGM_PRIVILEGED
        JNE   pgm1
        TM    vpsw+1,PSW_PROBLEM>>16
        JZ    emulate                 ; emulate.s
        J     pgm_reflect
pgm1:   CHI   R3,PGM_SEGMENT
        JE    xlate_fault             ; dat.s
        CHI   R3,PGM_PAGE
        JE    xlate_fault
        CHI   R3,PGM_PROTECTION       ; a store into a page the guest's own tables protect:
        JNE   pgm_reflect             ; its failing address is the guest-virtual one (PoO 5.3.3)
        L     R1,LC_TRANS_ADDR
        L     R4,=GUEST_BASE
        ST    R1,LC_TRANS_ADDR(R4)
pgm_reflect: LHI R2,INT_PROGRAM
        J     reflect_go

oldtab: .word LC_RESTART_OLD, LC_EXTERNAL_OLD, LC_SVC_OLD, LC_PROGRAM_OLD, LC_MCHECK_OLD, LC_IO_OLD
