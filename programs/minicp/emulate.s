* emulate.s - the privileged instructions, performed on the virtual machine (PoO 10.4).
*
* A privileged instruction the guest issues in virtual supervisor state arrives here as a
* privileged-operation exception (PoO 4.10.1): suppressed, so nothing has happened yet and the
* old PSW points after it. minicp fetches the instruction word, decodes it with the formats of
* PoO 4.1, and does what chapter 4 says the CPU does, to the virtual PSW (vpsw), the virtual
* control registers (vcr) and the guest's clocks (run.s). Operand addresses are the guest's:
* xop (dat.s) translates them, and reflects the access exception the bare machine would take.
* Every path ends at resume (run.s), which continues after the instruction, or at the new PSW.
*
* Registers: R10 = the instruction word, R7 = the effective address; xop and gwalk use R0-R3,
* R8, R9, so a handler keeps what it needs in R4-R7, R10, R11.

emulate: L    R1,stat_priv
        AHI   R1,1
        ST    R1,stat_priv
        L     R2,vpsw+4               ; fetch the instruction: it is 4 bytes back
        AHI   R2,-4
        LHI   R3,0
        BRAS  R13,xop
        L     R10,0(R2)
        ST    R10,ev_word
        LHI   R0,1
        ST    R0,ev_act
        LR    R6,R10
        SRL   R6,24                   ; the operation code
        LA    R1,optab
em_find: L    R0,0(R1)
        LTR   R0,R0
        JM    em_oper
        CR    R0,R6
        JE    em_go
        AHI   R1,8
        J     em_find
em_go:  L     R1,4(R1)
        BR    R1
em_oper: LHI  R3,PGM_OPERATION        ; not reached: every privileged opcode is in the table
        J     pgm_reflect
em_spec: LHI  R3,PGM_SPECIFICATION
        J     pgm_reflect

optab:  .word 0x80, em_ssm, 0x82, em_lpsw, 0x83, em_diag
        .word 0x9C, em_sio, 0x9D, em_tio, 0x9E, em_hio
        .word 0xA1, em_clock, 0xA2, em_clock, 0xA3, em_clock, 0xA4, em_clock, 0xA5, em_clock
        .word 0xA6, em_ptlb, 0xAC, em_stxsm, 0xAD, em_stxsm
        .word 0xB1, em_lra, 0xB6, em_ctl, 0xB7, em_ctl, -1

* eas: R7 = the effective address of an S, SI or RS instruction: base in bits 16-19 (0: none),
* unsigned 12-bit displacement, modulo 2^24 (PoO 4.1). Link R14.
eas:    LR    R7,R10
        N     R7,=0xFFF
        LR    R1,R10
        SRL   R1,12
        N     R1,=0xF
        JZ    eas1
        SLL   R1,2
        A     R7,gregs(R1)
eas1:   N     R7,=0xFFFFFF
        BR    R14

* LPSW (PoO 4.10.3): doubleword aligned, valid (PoO 2.2), or a specification exception.
em_lpsw: BRAS R14,eas
        LR    R0,R7
        N     R0,=7
        JNZ   em_spec
        LR    R2,R7
        LHI   R3,0
        BRAS  R13,xop
        LM    R6,R7,0(R2)
        LR    R0,R6
        N     R0,=PSW_RESERVED
        JNZ   em_spec
        LR    R0,R7
        N     R0,=0xFF000003
        JNZ   em_spec
        STM   R6,R7,vpsw              ; whatever it holds: wait, problem state, DAT, masks
        J     resume

* SSM (PoO 4.10.6): the byte becomes the system mask; bits 0-4 must be zero.
em_ssm: BRAS  R14,eas
        LR    R2,R7
        LHI   R3,0
        BRAS  R13,xop
        LLC   R6,0(R2)
        LR    R0,R6
        N     R0,=0xF8
        JNZ   em_spec
        STC   R6,vpsw
        J     resume

* STNSM, STOSM (PoO 4.10.7): store the system mask, then AND / OR the immediate into it.
em_stxsm: BRAS R14,eas
        LR    R2,R7
        LHI   R3,1                    ; a store: translated (and protection-checked) first
        BRAS  R13,xop
        LLC   R6,vpsw
        LR    R11,R10
        SRL   R11,16
        N     R11,=0xFF               ; I2
        LR    R0,R10
        SRL   R0,24
        CHI   R0,0xAC
        JNE   em_sto
        NR    R11,R6
        J     em_sxm
em_sto: OR    R11,R6
em_sxm: LR    R0,R11
        N     R0,=0xF8
        JNZ   em_spec                 ; nothing stored, PSW unchanged
        STC   R6,0(R2)
        STC   R11,vpsw
        J     resume

* LCTL, STCTL (PoO 4.10.4): registers R1 through R3, wrapping; every word translated first.
em_ctl: BRAS  R14,eas
        LR    R0,R7
        N     R0,=3
        JNZ   em_spec
        LR    R4,R10
        SRL   R4,20
        N     R4,=15                  ; R1 field
        LR    R11,R10
        SRL   R11,16
        N     R11,=15                 ; R3 field
        SR    R11,R4
        N     R11,=15
        AHI   R11,1                   ; the number of registers
        LA    R6,opaddr
        LR    R5,R11
ctl_tr: LR    R2,R7
        LR    R3,R10
        SRL   R3,24
        AHI   R3,-0xB7                ; LCTL 0, STCTL non-zero: a store
        BRAS  R13,xop
        ST    R2,0(R6)
        AHI   R6,4
        AHI   R7,4
        BRCT  R5,ctl_tr
        L     R7,vcr+4                ; the old CR1
        LA    R6,opaddr
        LR    R5,R11
ctl_do: LR    R1,R4
        SLL   R1,2
        LA    R1,vcr(R1)
        L     R2,0(R6)
        LR    R0,R10
        SRL   R0,24
        CHI   R0,0xB6
        JNE   ctl_ld
        L     R0,0(R1)                ; STCTL
        ST    R0,0(R2)
        J     ctl_nx
ctl_ld: L     R0,0(R2)                ; LCTL
        ST    R0,0(R1)
ctl_nx: AHI   R4,1
        N     R4,=15
        AHI   R6,4
        BRCT  R5,ctl_do
        C     R7,vcr+4                ; a new segment-table origin purges the TLB (PoO 6.3):
        JE    resume                  ; here, the shadow table
        BRAS  R14,shpurge
        J     resume

* PTLB (PoO 6.3): the guest's TLB is the shadow table.
em_ptlb: BRAS R14,shpurge
        J     resume

* The clock instructions (SCK, SPT, SCKC, STPT, STCKC) are in clock.s.

* LRA (PoO 6.4): RX format; walk the guest's tables through the virtual CR1, DAT on or not.
em_lra: LR    R7,R10
        SLL   R7,16
        SRA   R7,16                   ; signed 16-bit displacement
        LR    R1,R10
        SRL   R1,16
        N     R1,=15
        JZ    lra1
        SLL   R1,2
        A     R7,gregs(R1)
lra1:   LR    R2,R7
        BRAS  R12,gwalk
        CHI   R1,3
        JE    xo_addr                 ; a table outside storage: addressing, nothing at X'90'
        LTR   R1,R1
        JNZ   lra_cc                  ; CC 1 segment, CC 2 page
        LR    R4,R10
        SRL   R4,20
        N     R4,=15
        SLL   R4,2
        ST    R2,gregs(R4)            ; the guest-real address
lra_cc: SETCC R1
        J     resume
