import com.sun.tools.attach.VirtualMachine;

/**
 * Loads async-profiler into a running JVM with one command string (jcmd's JVMTI.agent_load
 * splits options at commas). Usage: java Attach.java PID LIBRARY "start,event=cpu,interval=1ms"
 * then ... "stop,file=out.collapsed,collapsed".
 */
public final class Attach {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
