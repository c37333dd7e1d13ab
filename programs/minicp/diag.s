* diag.s - DIAGNOSE from the guest (PoO 11): minicp is the guest's machine.
*
* IDENTIFY answers one level deeper than minicp itself runs, so a guest can tell how deep it
* is (PoO 11.2): bare -> minicp -> guest is level 1; under CP -> minicp -> guest, level 2.
* The console write and the test result are passed down to minicp's own machine, with the
* text's guest-real address relocated; the storage size is the guest's. A CP command gets
* CC 3: minicp has no command language, as the bare machine has none (PoO 11.3).

em_diag: BRAS R14,eas
        LR    R6,R7
        N     R6,=0xFFF               ; the function code
        LR    R4,R10
        SRL   R4,20
        N     R4,=15
        SLL   R4,2                    ; R4 = 4 * R1
        LR    R5,R10
        SRL   R5,16
        N     R5,=15
        SLL   R5,2                    ; R5 = 4 * R3
        CHI   R6,DIAG_IDENTIFY
        JE    dg_id
        CHI   R6,DIAG_CP_COMMAND
        JE    dg_cp
        CHI   R6,DIAG_STORAGE_SIZE
        JE    dg_size
        CHI   R6,DIAG_CONSOLE_WRITE
        JE    dg_write
        CHI   R6,DIAG_TEST_RESULT
        JE    dg_result
        J     em_spec                 ; an undefined function (PoO 11.1)
dg_id:  LI    R0,IDENTIFY_MAGIC
        ST    R0,gregs(R4)
        L     R0,level
        AHI   R0,1
        ST    R0,gregs(R5)            ; R3 last: if R1 = R3 it holds the level
        J     dg_cc0
dg_cp:  LHI   R1,3
        SETCC R1
        J     resume
dg_size: L    R0,gsize
        ST    R0,gregs(R4)
        J     dg_cc0
dg_write: L   R2,gregs(R4)
        N     R2,=0xFFFFFF
        L     R3,gregs(R5)
        CL    R3,=4096
        JH    xo_addr                 ; a length beyond 4,096: addressing exception (PoO 11.5)
        LTR   R3,R3                   ; length 0 accesses no storage, so it is never an
        JZ    dg_wr                   ; addressing exception, wherever it points (PoO 3.3)
        LR    R0,R2
        AR    R0,R3
        C     R0,gsize
        JH    xo_addr                 ; text beyond the guest's storage
dg_wr:  GUEST R2
        DIAG  R2,R3,DIAG_CONSOLE_WRITE
        J     dg_cc0
dg_result: LHI R1,0                   ; CC 0 first: the machine stops at the DIAGNOSE
        SETCC R1
        L     R2,gregs(R4)
        DIAG  R2,R2,DIAG_TEST_RESULT  ; the machine stops here (PoO 11.6); if it is run on,
        J     resume                  ; so does the guest, after its DIAGNOSE
dg_cc0: LHI   R1,0
        SETCC R1
        J     resume
