* spmstck.s - SET PROGRAM MASK and STORE CLOCK (PoO 4.9, 7.1), the two unprivileged PSW/clock
* instructions: SPM loads the CC and program mask from bits 2-7 of R1 (seen in the SVC old PSW);
* STCK stores the TOD clock, which counts instructions exactly; SCK sets it.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  SETNEW LC_SVC_NEW,svch
        LI    R1,0xE7123456           ; bits 2-3 = 10 (CC 2), bits 4-7 = 0111 (program mask 7)
        SPM   R1
        CHKCC 2,1
        SVC   1
sv1:    CHKPSW svcpsw,0x00002700,sv1,2 ; old SVC PSW: CC 2, program mask 7
        LI    R1,0x1F000000           ; CC 1, mask 15
        SPM   R1
        SVC   2
sv2:    CHKPSW svcpsw,0x00001F00,sv2,4
        LHI   R1,0
        SPM   R1
        CHKCC 0,6
* STCK counts instructions: two STCKs 3 instructions apart differ by exactly 4
        LA    R8,clk
        STCK  0(R8)
        NOPR  R0
        NOPR  R0
        NOPR  R0
        STCK  8(R8)
        CHKCC 0,7
        L     R2,clk+12
        S     R2,clk+4
        CHKR  R2,4,8
        CHKM  clk,0,9                 ; the high word of a young clock is 0
* SCK (privileged, supervisor state here) sets the clock; the next STCK reads value + 1
        SCK   tod
        STCK  0(R8)
        CHKM  clk,0x00012345,10
        CHKM  clk+4,0x9ABCDEF1,11
        PASS
svch:   L     R15,LC_SVC_OLD
        ST    R15,svcpsw
        L     R15,LC_SVC_OLD+4
        ST    R15,svcpsw+4
        LPSW  LC_SVC_OLD
        .align 8
tod:    .word 0x00012345,0x9ABCDEF0       ; within 2**53: clocks are exact there (src/cpu/clocks.ts)
clk:    .space 16
svcpsw: .space 8
