* ticker.s - a timer-driven guest: sets its CPU timer, waits enabled for external interruptions,
* types "TICK n" at each, five times, then ends. While it waits it costs CP nothing: CP skips its
* virtual time forward to the timer (it is never dispatched to spin).
        .include "tinycp.inc"
        .include "demo.inc"
        .org  0
        .psw  0, start
        .org  LC_EXTERNAL_NEW
        .psw  0, tick
        .org  LC_PROGRAM_NEW
        .psw  PSW_WAIT, 0xBAC

        .org  0x200
start:  LHI   R10,0
        SPT   interval
        LPSW  waitext
tick:   AHI   R10,1
        LR    R7,R10
        LA    R8,tickn
        BRAS  R14,decimal
        SAY   tickmsg,tickmsglen
        CHI   R10,5
        JNL   done
        SPT   interval
        LPSW  waitext
done:   EXIT

        DECIMALSUB
        .ltorg
        .align 8
interval: .word 0, 1000000          ; CPU timer: a million time units
waitext: .psw PSW_EXT|PSW_WAIT, 0
        .align 4
tickmsg: .ascii "TICK"
tickn:  .ascii "         "
tickmsglen = * - tickmsg
