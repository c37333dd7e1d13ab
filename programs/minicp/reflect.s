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
        J     resume
rf_stop: LHI  R0,-1
        ST    R0,LC_PROGRAM_NEW       ; reserved bits on: invalid (PoO 2.2)
        .word 0                       ; an operation exception, taken through it: check-stop

codetab: .word -1, LC_EXT_CODE, LC_SVC_CODE, LC_PGM_CODE, -1, LC_IO_ADDR
newtab: .word LC_RESTART_NEW, LC_EXTERNAL_NEW, LC_SVC_NEW, LC_PROGRAM_NEW, LC_MCHECK_NEW, LC_IO_NEW
