* reflect.s - the one way an interruption enters the guest (PoO 5.1, STYLE.md item 4).
*
* The bare machine's PSW swap, done on guest storage: the virtual PSW is stored as the class's
* old PSW in the guest's low storage, the code stored at the class's code location, and the
* guest's new PSW becomes the virtual PSW. Nothing else: the guest's handler saves what it
* needs, as it would bare. A failing address (X'90', PoO 5.3.3) is stored by the caller.
*
* reflect_go: R2 = class, R3 = interruption code. Goes on to resume (run.s), which may present
* another pending interruption at once, as the bare machine would (PoO 5.2).

reflect_go: L R1,stat_reflect
        AHI   R1,1
        ST    R1,stat_reflect
        ST    R2,ev_rcls
        ST    R3,ev_rcode
        LHI   R1,2
        ST    R1,ev_act
        L     R9,=GUEST_BASE
        SLL   R2,2
        L     R4,oldtab(R2)           ; trap.s: the old-PSW locations
        AR    R4,R9
        LM    R6,R7,vpsw
        STM   R6,R7,0(R4)             ; the old PSW
        L     R4,codetab(R2)
        LTR   R4,R4
        JM    rf_new                  ; restart and machine check store no code
        AR    R4,R9
        ST    R3,0(R4)
rf_new: L     R4,newtab(R2)
        AR    R4,R9
        LM    R6,R7,0(R4)             ; the new PSW
* An invalid new PSW check-stops the bare machine (PoO 5.9). minicp does the same to the
* machine it runs on: an invalid program new PSW of its own, then a program check.
        LR    R0,R6
        N     R0,=PSW_RESERVED
        JNZ   rf_stop
        LR    R0,R7
        N     R0,=0xFF000003
        JNZ   rf_stop
        STM   R6,R7,vpsw
* Interruption loops (PoO 5.2.1): the bare machine stops after 64 interruptions with no
* instruction completed in between. An SVC completes its instruction; otherwise the guest made
* progress if its time moved by more than the interruption's own instruction (a program
* interruption counts the instruction it ended, PoO 7). minicp passes a loop down the same way
* it passes a check-stop: by looping its own machine.
        L     R6,vnow+4
        S     R6,lastrf
        L     R7,vnow+4
        ST    R7,lastrf
        LHI   R7,0
        CHI   R2,INT_SVC*4
        JE    rf_str
        LHI   R7,0
        CHI   R2,INT_PROGRAM*4
        JNE   rf_prog
        LHI   R7,1                    ; a program interruption's own instruction
rf_prog: CR   R6,R7
        LHI   R7,1
        JH    rf_str                  ; progress: this is the first of a new streak
        L     R7,streak
        AHI   R7,1
        CHI   R7,INTERRUPTION_LOOP_LIMIT
        JH    rf_loop
rf_str: ST    R7,streak
        J     resume
rf_loop: LHI  R0,0                    ; a program new PSW at an address beyond storage: each
        ST    R0,LC_PROGRAM_NEW       ; fetch there is an addressing exception taken through it
        LI    R0,0xFFFFFC
        ST    R0,LC_PROGRAM_NEW+4
        .word 0
rf_stop: LHI  R0,-1
        ST    R0,LC_PROGRAM_NEW       ; reserved bits on: invalid (PoO 2.2)
        .word 0                       ; an operation exception, taken through it: check-stop

codetab: .word -1, LC_EXT_CODE, LC_SVC_CODE, LC_PGM_CODE, -1, LC_IO_ADDR
newtab: .word LC_RESTART_NEW, LC_EXTERNAL_NEW, LC_SVC_NEW, LC_PROGRAM_NEW, LC_MCHECK_NEW, LC_IO_NEW
