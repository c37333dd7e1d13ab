* int_svc.s - supervisor-call interruption (PoO 5.2): SVC i stores the old PSW (pointing after
* the SVC, with the CC and state of the caller) at LC_SVC_OLD and i at LC_SVC_CODE, and loads the
* SVC new PSW; the handler returns with LPSW of the SVC old PSW. From problem state too.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  SETNEW LC_SVC_NEW,svch
        LA    R1,ra1
        ST    R1,expia
        LHI   R1,5
        ST    R1,expcode
        LHI   R2,-1
        LTR   R2,R2                   ; CC 1
        LHI   R1,0x1000
        ST    R1,expflags
        SVC   5
ra1:     CHKCC 1,1                     ; LPSW of the old PSW restored the CC
        CHKM  count,1,2
        LA    R1,ra2
        ST    R1,expia
        LHI   R1,255
        ST    R1,expcode
        LHI   R1,0
        ST    R1,expflags
        CR    R1,R1                   ; CC 0
        SVC   255
ra2:     CHKM  count,2,3
* from problem state: the old PSW has the problem-state bit; the handler runs in supervisor state
        LA    R1,ra3
        ST    R1,expia
        LHI   R1,7
        ST    R1,expcode
        LI    R1,PSW_PROBLEM|0x2000
        ST    R1,expflags
        LPSW  user
ustart: LHI   R2,1
        LTR   R2,R2                   ; CC 2
        SVC   7
ra3:     BRC   2,ra3ok                  ; still problem state, CC 2
        SVC   99
ra3ok:   SVC   0                       ; to the supervisor: expectation not set, so the handler ends the test
        FAIL  4

svch:   STCTL R0,R0,cr0               ; privileged: the handler is in supervisor state
        L     R15,expcode
        CHI   R15,-1
        JE    done
        C     R15,LC_SVC_CODE
        JNE   f5
        L     R15,LC_SVC_OLD+4
        C     R15,expia
        JNE   f6
        L     R15,LC_SVC_OLD
        C     R15,expflags
        JNE   f7
        L     R15,count
        AHI   R15,1
        ST    R15,count
        LHI   R15,-1
        ST    R15,expcode
        LPSW  LC_SVC_OLD
done:   CHKM  LC_SVC_CODE,0,8
        CHKPSW LC_SVC_OLD,PSW_PROBLEM|0x2000,ra3ok+4,9
        CHKM  count,3,11
        PASS
f5:     FAIL  5
f6:     FAIL  6
f7:     FAIL  7
        .align 8
user:   .psw  PSW_PROBLEM, ustart
expcode: .word 0
expia:  .word 0
expflags: .word 0
count:  .word 0
cr0:    .word 0
