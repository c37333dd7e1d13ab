* sysmask.s - the system mask (PoO 4.10.6-7): SSM loads PSW bits 0-7 from a byte; STNSM and
* STOSM store the old mask then AND / OR the immediate into it. Seen through the stored bytes
* and through an SVC old PSW.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  SETNEW LC_SVC_NEW,svch
        STOSM m1,PSW_IO>>24           ; old mask 0; now I/O enabled
        CHKM  m1,0,1
        STOSM m1,PSW_EXT>>24          ; old X'02'; now X'03'
        CLI   m1,0x02
        JNE   f2
        STNSM m1,0xFE                 ; old X'03'; now X'02'
        CLI   m1,0x03
        JNE   f3
        SVC   1
s1:     CHKPSW LC_SVC_OLD,PSW_IO,s1,4  ; I/O enabled, CC 0 from the CLI
        SSM   mext                    ; X'01'
        STNSM m1,0xFF                 ; stores X'01', mask unchanged
        CLI   m1,0x01
        JNE   f6
        SSM   mzero
        STOSM m1,0
        CLI   m1,0
        JNE   f7
        PASS
f2:     FAIL  2
f3:     FAIL  3
f6:     FAIL  6
f7:     FAIL  7
svch:   LPSW  LC_SVC_OLD
m1:     .byte 0x55,0,0,0
mext:   .byte PSW_EXT>>24
mzero:  .byte 0
