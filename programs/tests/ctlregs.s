* ctlregs.s - control registers (PoO 4.10.4): after reset CR0 holds CR0_RESET and the others 0
* (STCTL); LCTL/STCTL of a range, wrapping from CR15 to CR0; a single register.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LA    R8,buf
        STCTL R0,R15,0(R8)
        CHKM  buf,CR0_RESET,1
        CHKM  buf+4,0,2
        CHKM  buf+60,0,3
        LCTL  R14,R1,vals             ; CR14, CR15, CR0, CR1
        STCTL R15,R0,64(R8)           ; CR15, CR0
        CHKM  buf+64,0x22222222,4
        CHKM  buf+68,CR0_RESET,5
        STCTL R14,R14,72(R8)
        CHKM  buf+72,0x11111111,6
        STCTL R1,R1,76(R8)
        CHKM  buf+76,0x1000,7
        LCTL  R5,R5,vals+4
        STCTL R5,R5,80(R8)
        CHKM  buf+80,0x22222222,8
        PASS
        .align 8
vals:   .word 0x11111111,0x22222222,CR0_RESET,0x1000
buf:    .space 96
