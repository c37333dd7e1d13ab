* spinner.s - a hostile guest: every interruption masked (PSW system mask 0), spinning forever.
* CP must still preempt it at the end of each time slice (its real CPU timer), so the other VMs
* keep their share (test/system-dispatch.test.ts).
        .org  0
        .psw  0, start
        .org  0x200
start:  AHI   R1,1
        J     start
