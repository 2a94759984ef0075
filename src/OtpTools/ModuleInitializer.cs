using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace OtpTools
{
    /// <summary>
    /// Makes the engine and its packages load from dependencies/ without clashing with assemblies PowerShell or
    /// other modules load: in a private AssemblyLoadContext on PowerShell 7, by path on Windows PowerShell 5.1.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

        private static readonly bool IsDotNetCore = Environment.Version.Major >= 5;

        public void OnImport()
        {
            if (IsDotNetCore) RegisterCore();
            else AppDomain.CurrentDomain.AssemblyResolve += ResolveOnDesktop;
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (IsDotNetCore) UnregisterCore();
            else AppDomain.CurrentDomain.AssemblyResolve -= ResolveOnDesktop;
        }

        // Kept in their own methods so Windows PowerShell never JITs code that touches AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterCore() => OtpToolsLoadContext.Register();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UnregisterCore() => OtpToolsLoadContext.Unregister();

        private static Assembly? ResolveOnDesktop(object sender, ResolveEventArgs args)
        {
            var path = Path.Combine(DependencyFolder, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
