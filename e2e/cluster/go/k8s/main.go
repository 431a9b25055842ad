// Command k8s is one multi-call binary holding the Kubernetes components the e2e
// cluster runs, so one Go build (one link of the shared dependency graph) yields all
// of them. The component is chosen by the name it is called by (a symlink such as
// kube-apiserver -> k8s) or by its first argument (`k8s kubelet --config ...`).
//
// The go.mod beside the build is written by e2e/cluster/build/kubernetes.ts for the
// Kubernetes version asked for (one replace line per staging module).
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	_ "time/tzdata" // CronJob time zones, as the upstream mains import it

	"github.com/spf13/cobra"
	_ "k8s.io/client-go/plugin/pkg/client/auth" // kubectl's client auth plugins
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // JSON log format
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric
	kubectl "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
)

// The constructors' signatures differ between releases (the kubelet's takes a context from
// v1.32 on, the scheduler's takes options), so they are called through newCommand, which
// keeps this file building against every Kubernetes version the harness is asked for.
var components = map[string]any{
	"kube-apiserver":          apiserver.NewAPIServerCommand,
	"kube-controller-manager": controllermanager.NewControllerManagerCommand,
	"kube-scheduler":          scheduler.NewSchedulerCommand,
	"kubelet":                 kubelet.NewKubeletCommand,
	"kube-proxy":              proxy.NewProxyCommand,
}

var contextType = reflect.TypeOf((*context.Context)(nil)).Elem()

// newCommand calls a component's New...Command, giving a context.Context to a context
// parameter and nothing to variadic options.
func newCommand(constructor any) *cobra.Command {
	fn := reflect.ValueOf(constructor)
	var args []reflect.Value
	for i := 0; i < fn.Type().NumIn(); i++ {
		if fn.Type().IsVariadic() && i == fn.Type().NumIn()-1 {
			break
		}
		if fn.Type().In(i) != contextType {
			panic(fmt.Sprintf("k8s: cannot call %s: parameter %d is %s", fn.Type(), i, fn.Type().In(i)))
		}
		args = append(args, reflect.ValueOf(context.Background()))
	}
	return fn.Call(args)[0].Interface().(*cobra.Command)
}

func main() {
	name := filepath.Base(os.Args[0])
	if _, known := components[name]; !known && name != "kubectl" && len(os.Args) > 1 {
		// Called as `k8s <component> ...`: drop our own name so cobra sees the component's flags.
		name = os.Args[1]
		os.Args = append([]string{name}, os.Args[2:]...)
	}
	if name == "kubectl" {
		command := kubectl.NewDefaultKubectlCommand()
		if err := cli.RunNoErrOutput(command); err != nil {
			kubectlutil.CheckErr(err)
		}
		return
	}
	constructor, known := components[name]
	if !known {
		names := []string{"kubectl"}
		for n := range components {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "k8s: unknown component %q; call it as one of: %s\n", name, strings.Join(names, ", "))
		os.Exit(2)
	}
	os.Exit(cli.Run(newCommand(constructor)))
}
